//! Field-by-field comparison of an entity before and after a change.

use serde::Serialize;
use serde_json::{Map, Value};

/// Collects `{field: [old, new]}` for the activity log and the changed field names for
/// the event.
#[derive(Default)]
pub(crate) struct Diff {
    pub changes: Map<String, Value>,
    pub names: Vec<String>,
}

impl Diff {
    pub fn field<T: Serialize + PartialEq>(&mut self, name: &str, old: &T, new: &T) {
        if old != new {
            let o = serde_json::to_value(old).unwrap_or(Value::Null);
            let n = serde_json::to_value(new).unwrap_or(Value::Null);
            self.changes
                .insert(name.to_owned(), Value::Array(vec![o, n]));
            self.names.push(name.to_owned());
        }
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    pub fn into_value(self) -> Value {
        Value::Object(self.changes)
    }
}

/// An entity as JSON, for event data and activity snapshots (our views always serialise).
pub(crate) fn to_json<T: Serialize>(v: &T) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

/// `{field: [null, value]}` (created) or `{field: [value, null]}` (deleted) for every
/// non-null field of an entity's JSON, except bookkeeping fields.
pub(crate) fn snapshot(entity: &Value, created: bool) -> Value {
    let mut out = Map::new();
    if let Value::Object(m) = entity {
        for (k, v) in m {
            if v.is_null()
                || matches!(
                    k.as_str(),
                    "id" | "version" | "created_at" | "updated_at" | "stats"
                )
            {
                continue;
            }
            let pair = if created {
                vec![Value::Null, v.clone()]
            } else {
                vec![v.clone(), Value::Null]
            };
            out.insert(k.clone(), Value::Array(pair));
        }
    }
    Value::Object(out)
}
