//! A database that is locked, unreachable or gone for a while: 503, never a hang, then recovery.

use super::*;

/// A TCP proxy in front of PostgreSQL that can be cut (connections dropped, new ones
/// refused after the handshake) and restored.
struct Proxy {
    addr: SocketAddr,
    up: Arc<AtomicBool>,
    conns: Arc<Mutex<Vec<JoinHandle<()>>>>,
    accept: JoinHandle<()>,
}

async fn pump(from: Arc<TcpStream>, to: Arc<TcpStream>) {
    let mut buf = vec![0u8; 16 * 1024];
    loop {
        if from.readable().await.is_err() {
            return;
        }
        let n = match from.try_read(&mut buf) {
            Ok(0) => return,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => continue,
            Err(_) => return,
        };
        let mut rest = &buf[..n];
        while !rest.is_empty() {
            if to.writable().await.is_err() {
                return;
            }
            match to.try_write(rest) {
                Ok(w) => rest = &rest[w..],
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
                Err(_) => return,
            }
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Proxy {
    async fn start(target: SocketAddr) -> Self {
        let listener = match TcpListener::bind("127.0.0.1:0").await {
            Ok(l) => l,
            Err(e) => panic!("proxy bind: {e}"),
        };
        let addr = listener.local_addr().unwrap_or_else(|e| panic!("{e}"));
        let up = Arc::new(AtomicBool::new(true));
        let conns: Arc<Mutex<Vec<JoinHandle<()>>>> = Arc::default();
        let (up2, conns2) = (Arc::clone(&up), Arc::clone(&conns));
        let accept = tokio::spawn(async move {
            while let Ok((inbound, _)) = listener.accept().await {
                // Checked and registered under the lock, so `cut` never misses a connection.
                let mut guard = lock(&conns2);
                if !up2.load(Ordering::SeqCst) {
                    drop(inbound);
                    continue;
                }
                guard.push(tokio::spawn(async move {
                    let Ok(outbound) = TcpStream::connect(target).await else {
                        return;
                    };
                    let (a, b) = (Arc::new(inbound), Arc::new(outbound));
                    tokio::select! {
                        () = pump(Arc::clone(&a), Arc::clone(&b)) => {}
                        () = pump(b, a) => {}
                    }
                }));
            }
        });
        Proxy {
            addr,
            up,
            conns,
            accept,
        }
    }

    /// Drops every proxied connection and refuses new ones; returns once they are closed.
    async fn cut(&self) {
        let handles = {
            let mut guard = lock(&self.conns);
            self.up.store(false, Ordering::SeqCst);
            std::mem::take(&mut *guard)
        };
        for h in handles {
            h.abort();
            let _ = h.await;
        }
    }

    fn restore(&self) {
        self.up.store(true, Ordering::SeqCst);
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.accept.abort();
        for h in lock(&self.conns).drain(..) {
            h.abort();
        }
    }
}

/// `host:port` of a `postgres://user@host:port/db?...` URL.
fn authority(url: &str) -> (usize, usize) {
    let start = url.find("://").map_or(0, |i| i + 3);
    let end = url[start..].find('/').map_or(url.len(), |i| start + i);
    let at = url[start..end].rfind('@').map_or(start, |i| start + i + 1);
    (at, end)
}

#[track_caller]
fn unavailable(res: Res, what: &str) {
    assert_eq!(res.status.as_u16(), 503, "{what}: {}", res.body);
    let res = res.problem(503, "unavailable");
    let text = res.body.to_string().to_lowercase();
    for leak in [
        "sqlx",
        "sql",
        "127.0.0.1",
        "pool",
        "communicating",
        "locked",
    ] {
        assert!(
            !text.contains(leak),
            "{what}: the body shows internals: {text}"
        );
    }
}

/// Another session of the test's database locks every workspace's counter row (and, on
/// SQLite, the database's write lock) until the returned transaction ends.
async fn hold_write_lock(app: &TestApp) -> kandid::sea_orm::DatabaseTransaction {
    use kandid::sea_orm::{ConnectionTrait, Database, TransactionTrait};
    let db = match Database::connect(&app.database_url).await {
        Ok(db) => db,
        Err(e) => panic!("{e}"),
    };
    let lock = match db.begin().await {
        Ok(t) => t,
        Err(e) => panic!("{e}"),
    };
    if let Err(e) = lock
        .execute_unprepared("UPDATE workspaces SET last_seq = last_seq")
        .await
    {
        panic!("{e}");
    }
    lock
}

/// A write that waits on a lock longer than `WRITE_TIMEOUT` answers 503 instead of hanging:
/// SQLite's busy timeout, or PostgreSQL's `lock_timeout` on the workspace's counter row
/// (held here by another session, as another node's batch would hold it).
#[tokio::test]
async fn a_write_waiting_on_a_lock_past_the_timeout_is_503() {
    let app = TestApp::spawn_with(|c| c.write_timeout = Duration::from_millis(300)).await;
    let s = app.register().await;
    let lock = hold_write_lock(&app).await;
    let res = app
        .post("/api/campaigns", &s.token, json!({"name": "refused"}))
        .await;
    unavailable(res, "write waiting on the lock");
    if let Err(e) = lock.rollback().await {
        panic!("{e}");
    }
    app.create_campaign(&s.token, json!({"name": "after"}))
        .await;
    let events = app.get("/api/events?since=0", &s.token).await.expect(200);
    assert_eq!(
        events.body["latest_seq"], 1,
        "the refused write left no seq behind"
    );
}

#[tokio::test]
async fn database_unreachable_is_503_and_recovers() {
    match std::env::var("TEST_POSTGRES_URL")
        .ok()
        .filter(|u| !u.is_empty())
    {
        Some(url) => postgres_outage(&url).await,
        None => sqlite_busy().await,
    }
}

/// PostgreSQL behind a proxy that goes away and comes back.
async fn postgres_outage(admin_url: &str) {
    let (from, to) = authority(admin_url);
    let target = match tokio::net::lookup_host(&admin_url[from..to]).await {
        Ok(mut addrs) => addrs.next(),
        Err(e) => panic!("{e}"),
    };
    let Some(target) = target else {
        panic!("cannot resolve {admin_url}")
    };
    let proxy = Proxy::start(target).await;
    let proxied = proxy.addr.to_string();
    let app = TestApp::spawn_with(|c| {
        if let Some(url) = c.database.database_url.as_mut() {
            let (from, to) = authority(url);
            url.replace_range(from..to, &proxied);
        }
    })
    .await;
    let s = app.register().await;
    app.create_campaign(&s.token, json!({"name": "before"}))
        .await;

    proxy.cut().await;
    unavailable(app.get("/api/campaigns", &s.token).await, "read");
    unavailable(
        app.post("/api/campaigns", &s.token, json!({"name": "during"}))
            .await,
        "write",
    );
    unavailable(app.get("/api/dashboard", &s.token).await, "dashboard");
    unavailable(app.send(Method::GET, "/readyz", None, None).await, "readyz");
    app.send(Method::GET, "/healthz", None, None)
        .await
        .expect(200);

    proxy.restore();
    // No restart: the next requests find the database again. On PostgreSQL the signal path
    // between nodes reconnects with backoff, and `/readyz` waits for it too.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    loop {
        let ready = app.send(Method::GET, "/readyz", None, None).await;
        if ready.status.as_u16() == 200 {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "/readyz did not recover: {}",
            ready.body
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let list = app.get("/api/campaigns", &s.token).await.expect(200);
    let names: Vec<&str> = list.body["data"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c["name"].as_str())
        .collect();
    assert_eq!(
        names,
        ["before"],
        "the write during the outage must not exist"
    );
    app.create_campaign(&s.token, json!({"name": "after"}))
        .await;
}

/// SQLite cannot become unreachable; the closest is a database another process keeps
/// locked while a write holds the server's only connection, waiting for it: a request that
/// cannot get a connection in time is a 503, and once the lock is gone everything works again.
async fn sqlite_busy() {
    let app = TestApp::spawn_with(|c| c.write_timeout = Duration::from_millis(300)).await;
    let s = app.register().await;
    // Another process holds SQLite's write lock.
    let lock = hold_write_lock(&app).await;
    // Writes neither hang nor fail with a 500: the one waiting for the lock and those
    // queued behind it all give up at their own write timeout, not one timeout after
    // another (ten in a row would take 3 s).
    let started = std::time::Instant::now();
    let refused = futures::future::join_all((0..10).map(|i| {
        app.post(
            "/api/campaigns",
            &s.token,
            json!({"name": format!("refused {i}")}),
        )
    }))
    .await;
    let waited = started.elapsed();
    for (i, res) in refused.into_iter().enumerate() {
        unavailable(
            res,
            &format!("write {i}, waiting for the lock or queued behind it"),
        );
    }
    assert!(
        waited < Duration::from_millis(1500),
        "writes queued behind a held lock waited {waited:?} in all: each must give up at its own timeout"
    );
    // Reads don't wait for writers.
    app.get("/api/campaigns", &s.token).await.expect(200);
    app.send(Method::GET, "/healthz", None, None)
        .await
        .expect(200);
    if let Err(e) = lock.rollback().await {
        panic!("{e}");
    }
    // Nothing of the refused writes was kept, and writing works again without a restart.
    let created = app
        .create_campaign(&s.token, json!({"name": "after"}))
        .await;
    let list = app.get("/api/campaigns", &s.token).await.expect(200);
    assert_eq!(list.body["total"], 1);
    assert_eq!(list.body["data"][0]["id"], created["id"]);
    let events = app.get("/api/events?since=0", &s.token).await.expect(200);
    assert_eq!(events.body["latest_seq"], 1);
}
