pub mod bakery;
pub mod schema;
pub mod worker;
