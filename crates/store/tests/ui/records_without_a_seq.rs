//! A write without an event (`Store::write_without_event`, `write_unchecked`) gets a plain
//! `Tx`, which cannot record a change: only a write that took the workspace's seq can.

use kandid_store::tx::Tx;

async fn create_invitation(tx: &mut Tx) {
    let _ = tx.record();
}

fn main() {
    let _ = create_invitation;
}
