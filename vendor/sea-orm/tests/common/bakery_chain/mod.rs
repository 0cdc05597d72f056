pub mod baker;
pub mod bakery;
pub mod cake;
pub mod cakes_bakers;
pub mod customer;
pub mod lineitem;
pub mod order;
pub mod schema;
pub mod seed_data;

pub use baker::Entity as Baker;
pub use bakery::Entity as Bakery;
pub use cake::Entity as Cake;
pub use cakes_bakers::Entity as CakesBakers;
pub use customer::Entity as Customer;
pub use lineitem::Entity as Lineitem;
pub use order::Entity as Order;
pub use schema::*;
