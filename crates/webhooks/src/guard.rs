//! Where a webhook may point: `https://` (or `http://` when allowed) to a host whose
//! addresses are all public. Checked when a webhook is created or changed, and again at
//! every delivery by the HTTP client's resolver, so the address checked is the address
//! connected to (a name that re-resolves to an inside address after the check gains
//! nothing).
//!
//! No maintained crate classifies addresses the way this needs (`Ipv4Addr::is_global` is
//! unstable; the backports miss CGNAT or IPv4 embedded in IPv6), so it is a table here,
//! with a test per class.

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::time::Duration;
use url::{Host, Url};

/// Longest URL a webhook may have, in characters.
pub const MAX_URL_CHARS: usize = 2000;

/// How long resolving a webhook's host at creation may take.
const RESOLVE_TIMEOUT: Duration = Duration::from_secs(5);

/// What the deployment allows webhooks to reach.
#[derive(Debug, Clone, Copy, Default)]
pub struct Policy {
    /// `http://` URLs too (for development and tests).
    pub allow_http: bool,
    /// Loopback, private and other non-public addresses too.
    pub allow_private: bool,
}

/// Why an IPv4 address is not public, or `None` when it is.
#[must_use]
pub fn classify_v4(ip: Ipv4Addr) -> Option<&'static str> {
    let [a, b, c, _] = ip.octets();
    Some(match (a, b, c) {
        (0, _, _) => "unspecified",
        (10, _, _) | (172, 16..=31, _) | (192, 168, _) => "private",
        (100, 64..=127, _) => "shared (CGNAT)",
        (127, _, _) => "loopback",
        (169, 254, _) => "link-local",
        (192, 0, 0) => "IETF protocol assignment",
        (192, 0, 2) | (198, 51, 100) | (203, 0, 113) => "documentation",
        (192, 88, 99) => "6to4 relay",
        (198, 18..=19, _) => "benchmarking",
        (224..=239, _, _) => "multicast",
        (240..=255, _, _) => "reserved",
        _ => return None,
    })
}

/// Why an IPv6 address is not public, or `None` when it is. IPv4 carried inside IPv6
/// (mapped, compatible, NAT64, 6to4) is judged as that IPv4 address.
#[must_use]
pub fn classify_v6(ip: Ipv6Addr) -> Option<&'static str> {
    let s = ip.segments();
    if ip.is_unspecified() {
        return Some("unspecified");
    }
    if ip.is_loopback() {
        return Some("loopback");
    }
    let embedded = |hi: u16, lo: u16| {
        let [h1, h2] = hi.to_be_bytes();
        let [l1, l2] = lo.to_be_bytes();
        Ipv4Addr::new(h1, h2, l1, l2)
    };
    let v4 = embedded(s[6], s[7]);
    // ::ffff:a.b.c.d (IPv4-mapped) connects to a.b.c.d.
    if s[..6] == [0, 0, 0, 0, 0, 0xffff] {
        return classify_v4(v4);
    }
    // ::a.b.c.d (IPv4-compatible) is deprecated and never public.
    if s[..6] == [0; 6] {
        return Some(classify_v4(v4).unwrap_or("IPv4-compatible"));
    }
    // NAT64 well-known prefix 64:ff9b::/96 reaches the embedded IPv4 address.
    if s[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
        return classify_v4(embedded(s[6], s[7]));
    }
    // 6to4 2002:a.b.c.d::/48 reaches the embedded IPv4 address.
    if s[0] == 0x2002 {
        return classify_v4(embedded(s[1], s[2]));
    }
    Some(match s[0] {
        0x0064 if s[1] == 0xff9b && s[2] == 1 => "NAT64 local use",
        0x0100 if s[1..4] == [0, 0, 0] => "discard-only",
        0x2001 if s[1] == 0x0db8 => "documentation",
        0x2001 if s[1] < 0x0200 => "IETF protocol assignment",
        0x3fff if s[1] < 0x1000 => "documentation",
        0xfc00..=0xfdff => "unique local",
        0xfe80..=0xfebf => "link-local",
        0xfec0..=0xfeff => "site-local",
        0xff00..=0xffff => "multicast",
        // Only 2000::/3 is allocated for global unicast.
        x if !(0x2000..=0x3fff).contains(&x) => "reserved",
        _ => return None,
    })
}

/// Why an address is not public, or `None` when it is.
#[must_use]
pub fn classify(ip: IpAddr) -> Option<&'static str> {
    match ip {
        IpAddr::V4(v4) => classify_v4(v4),
        IpAddr::V6(v6) => classify_v6(v6),
    }
}

/// The URL parsed and its scheme and form checked (not its addresses). The error is the
/// message for the `url` field.
pub fn parse(policy: Policy, raw: &str) -> Result<Url, String> {
    if raw.chars().count() > MAX_URL_CHARS {
        return Err(format!("must have at most {MAX_URL_CHARS} characters"));
    }
    let url = Url::parse(raw.trim()).map_err(|e| format!("not a URL: {e}"))?;
    match url.scheme() {
        "https" => {}
        "http" if policy.allow_http => {}
        "http" => return Err("must be an https:// URL".into()),
        _ => {
            return Err(if policy.allow_http {
                "must be an https:// or http:// URL".into()
            } else {
                "must be an https:// URL".into()
            });
        }
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("must not contain credentials".into());
    }
    if url.host().is_none() {
        return Err("must have a host".into());
    }
    Ok(url)
}

/// The URL checked entirely: form, and every address its host has now. For a name, that
/// means resolving it; the resolver checks again at each delivery.
pub async fn check(policy: Policy, raw: &str) -> Result<Url, String> {
    let url = parse(policy, raw)?;
    if policy.allow_private {
        return Ok(url);
    }
    match url.host() {
        Some(Host::Ipv4(ip)) => refuse(IpAddr::V4(ip))?,
        Some(Host::Ipv6(ip)) => refuse(IpAddr::V6(ip))?,
        Some(Host::Domain(name)) => {
            let port = url.port_or_known_default().unwrap_or(443);
            let found =
                tokio::time::timeout(RESOLVE_TIMEOUT, tokio::net::lookup_host((name, port)))
                    .await
                    .map_err(|_| format!("resolving {name} timed out"))?
                    .map_err(|_| format!("{name} does not resolve"))?;
            let mut any = false;
            for a in found {
                refuse(a.ip())?;
                any = true;
            }
            if !any {
                return Err(format!("{name} does not resolve"));
            }
        }
        None => return Err("must have a host".into()),
    }
    Ok(url)
}

fn refuse(ip: IpAddr) -> Result<(), String> {
    match classify(ip) {
        // The class, not the address: a name's refusal must not map the server's own
        // network for whoever can create webhooks.
        Some(class) => {
            tracing::info!(%ip, class, "webhook address refused");
            Err(format!("must reach a public address, not a {class} one"))
        }
        None => Ok(()),
    }
}

/// Checks an address literal in a URL at delivery (the HTTP client resolves only names).
pub fn check_literal(policy: Policy, url: &Url) -> Result<(), String> {
    if policy.allow_private {
        return Ok(());
    }
    match url.host() {
        Some(Host::Ipv4(ip)) => refuse(IpAddr::V4(ip)),
        Some(Host::Ipv6(ip)) => refuse(IpAddr::V6(ip)),
        _ => Ok(()),
    }
}

/// The HTTP client's resolver: the system's, then every address checked; a name with any
/// non-public address is refused whole.
#[derive(Debug, Clone, Copy)]
pub struct GuardedResolver {
    pub policy: Policy,
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let policy = self.policy;
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let found: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            if found.is_empty() {
                return Err(format!("{host} does not resolve").into());
            }
            if !policy.allow_private {
                for a in &found {
                    refuse(a.ip()).map_err(|e| format!("{host}: {e}"))?;
                }
            }
            let addrs: Addrs = Box::new(found.into_iter());
            Ok(addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v4(s: &str) -> Option<&'static str> {
        classify(s.parse().unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED)))
    }

    #[test]
    fn ipv4_classes() {
        for (ip, class) in [
            ("0.0.0.0", "unspecified"),
            ("0.1.2.3", "unspecified"),
            ("10.1.2.3", "private"),
            ("172.16.0.1", "private"),
            ("172.31.255.255", "private"),
            ("192.168.1.1", "private"),
            ("100.64.0.1", "shared (CGNAT)"),
            ("100.127.255.254", "shared (CGNAT)"),
            ("127.0.0.1", "loopback"),
            ("127.255.0.9", "loopback"),
            ("169.254.169.254", "link-local"),
            ("192.0.0.8", "IETF protocol assignment"),
            ("192.0.2.1", "documentation"),
            ("198.51.100.7", "documentation"),
            ("203.0.113.9", "documentation"),
            ("198.18.0.1", "benchmarking"),
            ("224.0.0.1", "multicast"),
            ("239.255.255.250", "multicast"),
            ("240.0.0.1", "reserved"),
            ("255.255.255.255", "reserved"),
        ] {
            assert_eq!(v4(ip), Some(class), "{ip}");
        }
        for ip in [
            "8.8.8.8",
            "1.1.1.1",
            "172.32.0.1",
            "100.128.0.1",
            "192.169.0.1",
        ] {
            assert_eq!(v4(ip), None, "{ip}");
        }
    }

    #[test]
    fn ipv6_classes() {
        for (ip, class) in [
            ("::", "unspecified"),
            ("::1", "loopback"),
            ("::ffff:127.0.0.1", "loopback"),
            ("::ffff:10.0.0.1", "private"),
            ("::ffff:169.254.169.254", "link-local"),
            ("::127.0.0.1", "loopback"),
            ("::8.8.8.8", "IPv4-compatible"),
            ("64:ff9b::a00:1", "private"),
            ("64:ff9b:1::1", "NAT64 local use"),
            ("2002:c0a8:101::1", "private"),
            ("100::1", "discard-only"),
            ("2001:db8::1", "documentation"),
            ("2001::1", "IETF protocol assignment"),
            ("3fff::1", "documentation"),
            ("fc00::1", "unique local"),
            ("fd12:3456::1", "unique local"),
            ("fe80::1", "link-local"),
            ("fec0::1", "site-local"),
            ("ff02::1", "multicast"),
            ("ff0e::1", "multicast"),
            ("4000::1", "reserved"),
        ] {
            assert_eq!(v4(ip), Some(class), "{ip}");
        }
        for ip in [
            "2606:4700:4700::1111",
            "2a00:1450:4001::200e",
            "::ffff:8.8.8.8",
            "64:ff9b::808:808",
            "2002:808:808::1",
        ] {
            assert_eq!(v4(ip), None, "{ip}");
        }
    }

    #[test]
    fn urls() {
        let strict = Policy::default();
        assert!(parse(strict, "https://example.com/hook").is_ok());
        assert!(parse(strict, "http://example.com/hook").is_err());
        assert!(
            parse(
                Policy {
                    allow_http: true,
                    ..strict
                },
                "http://example.com/"
            )
            .is_ok()
        );
        assert!(parse(strict, "ftp://example.com/").is_err());
        assert!(parse(strict, "https://user:pw@example.com/").is_err());
        assert!(parse(strict, "not a url").is_err());
        assert!(parse(strict, "https://").is_err());
    }

    #[tokio::test]
    async fn checked_addresses() {
        let strict = Policy::default();
        for url in [
            "https://127.0.0.1/",
            "https://[::1]/",
            "https://[::ffff:7f00:1]/",
            "https://169.254.169.254/latest/meta-data",
            "https://10.0.0.1/",
            "https://localhost/",
            "https://0x7f000001/",
            "https://2130706433/",
        ] {
            assert!(check(strict, url).await.is_err(), "{url}");
        }
        let open = Policy {
            allow_http: true,
            allow_private: true,
        };
        assert!(check(open, "http://127.0.0.1:9/").await.is_ok());
    }
}
