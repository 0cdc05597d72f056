//! What a conditional write (`If-Match`) requires of the entity's current version.

use std::fmt;
use std::sync::Arc;

/// The versions a conditional write accepts. The HTTP layer decides which (an `If-Match`
/// list names several, a weak or foreign tag none); the store asks it about the version
/// it finds inside the write's transaction.
#[derive(Clone)]
pub struct Precondition(Arc<dyn Fn(i64) -> bool + Send + Sync>);

impl Precondition {
    /// The versions for which `accepts` holds.
    pub fn new(accepts: impl Fn(i64) -> bool + Send + Sync + 'static) -> Self {
        Self(Arc::new(accepts))
    }

    /// Exactly `version`.
    #[must_use]
    pub fn version(version: i64) -> Self {
        Self::new(move |v| v == version)
    }

    /// No version: the write always fails its precondition.
    #[must_use]
    pub fn none() -> Self {
        Self::new(|_| false)
    }

    /// Whether a write may go ahead on an entity at `version`.
    #[must_use]
    pub fn accepts(&self, version: i64) -> bool {
        (self.0)(version)
    }
}

impl fmt::Debug for Precondition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Precondition")
    }
}
