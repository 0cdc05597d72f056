//! Keyset pagination: sort orders, opaque cursors and the list envelope.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Datelike, Utc};
use sea_orm::sea_query::{Condition, Order};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Select, Value};
use serde::{Deserialize, Serialize};
use std::str::FromStr;
use uuid::Uuid;

pub const DEFAULT_LIMIT: u64 = 50;
pub const MAX_LIMIT: u64 = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SortField {
    CreatedAt,
    UpdatedAt,
    Name,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort {
    pub field: SortField,
    pub desc: bool,
}

impl Default for Sort {
    fn default() -> Self {
        Sort {
            field: SortField::CreatedAt,
            desc: true,
        }
    }
}

impl FromStr for Sort {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (desc, name) = match s.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, s),
        };
        let field =
            match name {
                "created_at" => SortField::CreatedAt,
                "updated_at" => SortField::UpdatedAt,
                "name" => SortField::Name,
                _ => return Err(
                    "sort must be one of created_at, updated_at, name, optionally prefixed with -"
                        .into(),
                ),
            };
        Ok(Sort { field, desc })
    }
}

/// Position after the last row of a page: the sort key and id of that row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cursor {
    #[serde(rename = "f")]
    pub field: SortField,
    #[serde(rename = "d")]
    pub desc: bool,
    #[serde(rename = "t", default, skip_serializing_if = "Option::is_none")]
    pub time: Option<DateTime<Utc>>,
    #[serde(rename = "s", default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(rename = "i")]
    pub id: Uuid,
}

impl Cursor {
    #[must_use]
    pub fn encode(&self) -> String {
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(self).unwrap_or_default())
    }

    /// Decodes a cursor and checks it belongs to `sort`.
    pub fn decode(s: &str, sort: Sort) -> Result<Self, String> {
        let bytes = URL_SAFE_NO_PAD
            .decode(s.as_bytes())
            .map_err(|_| "cursor is malformed".to_owned())?;
        let c: Cursor =
            serde_json::from_slice(&bytes).map_err(|_| "cursor is malformed".to_owned())?;
        // Exactly the key the sort uses: a name cursor carrying a time (or the reverse)
        // would compare a column with a value of another type.
        let consistent = match c.field {
            SortField::Name => {
                c.time.is_none() && c.text.as_deref().is_some_and(|t| !t.contains('\0'))
            }
            // A time PostgreSQL can represent (ours always are).
            _ => c.text.is_none() && c.time.is_some_and(|t| (1..=9999).contains(&t.year())),
        };
        if c.field != sort.field || c.desc != sort.desc || !consistent {
            return Err("cursor does not belong to this sort order".into());
        }
        Ok(c)
    }

    fn value(&self) -> Value {
        match (&self.time, &self.text) {
            (Some(t), _) => Value::from(*t),
            (None, Some(s)) => Value::from(s.clone()),
            (None, None) => Value::from(None::<String>),
        }
    }
}

/// A validated page request.
#[derive(Debug, Clone, Default)]
pub struct PageRequest {
    pub sort: Sort,
    pub limit: u64,
    pub cursor: Option<Cursor>,
}

/// One page of a list, with the total number of rows that match the filters.
#[derive(Debug, Clone)]
pub struct PageOf<T> {
    pub data: Vec<T>,
    pub next_cursor: Option<String>,
    pub total: u64,
}

/// Columns a list can sort by.
pub struct SortColumns<C> {
    pub created_at: C,
    pub updated_at: C,
    pub name: C,
    pub id: C,
}

impl<C: ColumnTrait + Copy> SortColumns<C> {
    fn column(&self, f: SortField) -> C {
        match f {
            SortField::CreatedAt => self.created_at,
            SortField::UpdatedAt => self.updated_at,
            SortField::Name => self.name,
        }
    }

    /// Orders `select` by the sort key then id, starting after the cursor, fetching one
    /// extra row to tell whether another page follows.
    pub(crate) fn apply<E: EntityTrait<Column = C>>(
        &self,
        select: Select<E>,
        page: &PageRequest,
    ) -> Select<E> {
        let col = self.column(page.sort.field);
        let order = if page.sort.desc {
            Order::Desc
        } else {
            Order::Asc
        };
        let mut select = select;
        if let Some(c) = &page.cursor {
            let v = c.value();
            let cond = if page.sort.desc {
                Condition::any()
                    .add(col.lt(v.clone()))
                    .add(Condition::all().add(col.eq(v)).add(self.id.lt(c.id)))
            } else {
                Condition::any()
                    .add(col.gt(v.clone()))
                    .add(Condition::all().add(col.eq(v)).add(self.id.gt(c.id)))
            };
            select = select.filter(cond);
        }
        select.order_by(col, order.clone()).order_by(self.id, order)
    }
}

/// Splits the extra row off a fetched page, builds the next cursor from the last row and
/// turns the rows into views.
pub(crate) fn finish_page<M, T>(
    mut rows: Vec<M>,
    page: &PageRequest,
    total: u64,
    key: impl Fn(&M) -> (DateTime<Utc>, DateTime<Utc>, String, Uuid),
    view: impl FnMut(M) -> crate::Result<T>,
) -> crate::Result<PageOf<T>> {
    let limit = usize::try_from(page.limit).unwrap_or(usize::MAX);
    let more = rows.len() > limit;
    rows.truncate(limit);
    let next_cursor = if more {
        rows.last().map(|last| {
            let (created, updated, name, id) = key(last);
            let (time, text) = match page.sort.field {
                SortField::CreatedAt => (Some(created), None),
                SortField::UpdatedAt => (Some(updated), None),
                SortField::Name => (None, Some(name)),
            };
            Cursor {
                field: page.sort.field,
                desc: page.sort.desc,
                time,
                text,
                id,
            }
            .encode()
        })
    } else {
        None
    };
    Ok(PageOf {
        data: rows.into_iter().map(view).collect::<crate::Result<_>>()?,
        next_cursor,
        total,
    })
}
