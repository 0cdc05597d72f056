//! The proof that a change was recorded cannot be made up: `Outcome::changed` needs one
//! from `tx.record(..)`.

use kandid_store::tx::{Outcome, Recorded};

fn main() {
    let _answer: Outcome<u32> = Outcome::changed(Recorded { seq: 1 }, 7);
}
