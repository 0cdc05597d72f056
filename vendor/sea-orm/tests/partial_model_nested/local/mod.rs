mod model;

pub use model::*;

pub use model::schema::create_tables;
