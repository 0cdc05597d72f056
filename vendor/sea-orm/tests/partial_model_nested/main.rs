mod local;
mod nested_alias;

#[path = "../common"]
#[allow(unused)]
mod common {
    #[cfg(not(feature = "sync"))]
    pub mod runtime;
    pub mod setup;
    pub use setup::TestContext;
}
