//! A mutation that changes rows and answers without recording the change: the write path
//! wants an `Outcome`, made only from `tx.record(..)`'s proof or `Outcome::unchanged`.

use kandid_store::Result;
use kandid_store::tx::{Mutation, Outcome, WriteTx};

async fn rename(_tx: &mut WriteTx) -> Result<Outcome<u32>> {
    // ... an UPDATE through `tx.txn`, and no `tx.record(..)`.
    Ok(7)
}

fn main() {
    let _write: Mutation<u32> = Box::new(|tx| Box::pin(rename(tx)));
}
