//! Domain types of kandid: statuses and their transitions, roles, sequence steps,
//! field validation and the shapes of what clients see. Knows nothing of HTTP or SQL.

pub mod input;
pub mod limits;
pub mod precondition;
pub mod room;
pub mod schema;
pub mod socket;
pub mod status;
pub mod token;
pub mod validate;
pub mod views;

pub use precondition::Precondition;
pub use room::Room;
pub use status::{Action, CampaignStatus, ConnectionStatus, EventType, LeadStatus, Role, StepKind};
pub use validate::{FieldError, Validator};
