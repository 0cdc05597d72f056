//! Enumerations with their wire names, and the campaign status state machine.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use utoipa::ToSchema;

/// Declares a snake_case wire enum with `as_str`, `ALL`, `Display` and `FromStr`.
macro_rules! wire_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $wire:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            #[must_use]
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $wire),+ }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = UnknownVariant;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($wire => Ok($name::$variant),)+
                    _ => Err(UnknownVariant {
                        expected: concat!($($wire, " "),+).trim_end(),
                    }),
                }
            }
        }
    };
}

/// A string that names no variant of the enum; `expected` lists the valid names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownVariant {
    pub expected: &'static str,
}

impl fmt::Display for UnknownVariant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "expected one of: {}", self.expected.replace(' ', ", "))
    }
}

wire_enum!(
    /// Lifecycle of a campaign.
    CampaignStatus { Draft => "draft", Active => "active", Paused => "paused", Completed => "completed" }
);
wire_enum!(
    /// Where a lead stands in the outreach.
    LeadStatus {
        Pending => "pending",
        Contacted => "contacted",
        Responded => "responded",
        Converted => "converted",
        DoNotContact => "do_not_contact",
    }
);
wire_enum!(
    /// State of the LinkedIn connection with a lead.
    ConnectionStatus { NotConnected => "not_connected", Pending => "pending", Connected => "connected" }
);
wire_enum!(
    /// Kind of a campaign sequence step.
    StepKind {
        ConnectionRequest => "connection_request",
        Message => "message",
        FollowUp => "follow_up",
        VisitProfile => "visit_profile",
        Wait => "wait",
    }
);
wire_enum!(
    /// Role of a user in their workspace.
    Role { Owner => "owner", Admin => "admin", Member => "member", Viewer => "viewer" }
);
wire_enum!(
    /// Name of a realtime event.
    EventType {
        CampaignsUpdated => "campaigns_updated",
        LeadsUpdated => "leads_updated",
        MembersUpdated => "members_updated"
    }
);
wire_enum!(
    /// What a mutation did.
    Action { Created => "created", Updated => "updated", Deleted => "deleted", Imported => "imported" }
);

impl CampaignStatus {
    /// Whether a campaign may move from `self` to `to`. Staying put is not a transition
    /// and is handled by the caller as a no-op.
    #[must_use]
    pub fn can_transition_to(self, to: CampaignStatus) -> bool {
        use CampaignStatus::{Active, Completed, Draft, Paused};
        matches!(
            (self, to),
            (Draft, Active)
                | (Active, Paused)
                | (Paused, Active)
                | (Active, Completed)
                | (Paused, Completed)
        )
    }

    /// Statuses a campaign may be created with.
    #[must_use]
    pub fn is_initial(self) -> bool {
        matches!(self, CampaignStatus::Draft | CampaignStatus::Active)
    }
}

impl Role {
    /// Rank in the order viewer < member < admin < owner: each role has every right of
    /// the roles below it.
    #[must_use]
    pub fn rank(self) -> u8 {
        match self {
            Role::Viewer => 0,
            Role::Member => 1,
            Role::Admin => 2,
            Role::Owner => 3,
        }
    }

    /// Whether `self` has every right of `other`.
    #[must_use]
    pub fn at_least(self, other: Role) -> bool {
        self.rank() >= other.rank()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transitions_follow_the_contract() {
        use CampaignStatus::*;
        let allowed = [
            (Draft, Active),
            (Active, Paused),
            (Paused, Active),
            (Active, Completed),
            (Paused, Completed),
        ];
        for &from in CampaignStatus::ALL {
            for &to in CampaignStatus::ALL {
                assert_eq!(
                    from.can_transition_to(to),
                    allowed.contains(&(from, to)),
                    "{from} -> {to}"
                );
            }
        }
    }

    #[test]
    fn roles_are_ordered() {
        use Role::*;
        assert!(Owner.at_least(Admin) && Admin.at_least(Member) && Member.at_least(Viewer));
        assert!(!Viewer.at_least(Member) && !Admin.at_least(Owner));
        assert!(Role::ALL.iter().all(|r| r.at_least(*r)));
    }

    #[test]
    fn wire_names_round_trip() {
        for &s in LeadStatus::ALL {
            assert_eq!(s.as_str().parse::<LeadStatus>(), Ok(s));
        }
        assert!("nope".parse::<LeadStatus>().is_err());
    }
}
