//! The write path's rules that the compiler enforces: every file in `tests/ui/` is a
//! mutation that breaks one, and must not compile (with the error beside it).
//! After a compiler upgrade changes the messages: `TRYBUILD=overwrite cargo test -p
//! kandid-store --test compile_fail`, then read the diff.

#[test]
fn mutations_that_break_the_write_rules_do_not_compile() {
    trybuild::TestCases::new().compile_fail("tests/ui/*.rs");
}
