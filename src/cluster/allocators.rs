//! The service IP and node-port allocators: ClusterIPs from the kubeadm default range
//! 10.96.0.0/12, node ports from 30000-32767. Dynamic allocation draws from the world's seeded
//! random source, preferring the upper part of the range as the real bitmap allocator does (the
//! lowest 256 addresses are kept for static assignment such as `kubernetes` and `kube-dns`).

use crate::world::Rng;

/// 10.96.0.0 as a number.
const BASE: u32 = (10 << 24) | (96 << 16);
/// Addresses in a /12.
const SIZE: u32 = 1 << 20;
const STATIC_BAND: u32 = 256;

pub const NODE_PORT_MIN: i64 = 30000;
pub const NODE_PORT_MAX: i64 = 32767;

pub fn ip_to_string(ip: u32) -> String {
    format!("{}.{}.{}.{}", ip >> 24, (ip >> 16) & 255, (ip >> 8) & 255, ip & 255)
}

pub fn parse_ip(s: &str) -> Option<u32> {
    let parts: Vec<u32> = s.split('.').map(|p| p.parse::<u8>().ok().map(u32::from)).collect::<Option<_>>()?;
    if parts.len() != 4 {
        return None;
    }
    Some((parts[0] << 24) | (parts[1] << 16) | (parts[2] << 8) | parts[3])
}

/// A free ClusterIP, deterministic for the world's seed.
pub fn allocate_cluster_ip(rng: &mut Rng, used: &[String]) -> String {
    loop {
        // Skip the network address and the broadcast address.
        let offset = STATIC_BAND + rng.below(u64::from(SIZE - STATIC_BAND - 1)) as u32;
        let ip = ip_to_string(BASE + offset);
        if !used.contains(&ip) {
            return ip;
        }
    }
}

/// A requested ClusterIP: inside the range and free. The error is the allocator's sentence.
pub fn check_cluster_ip(ip: &str, used: &[String]) -> Result<(), String> {
    let Some(n) = parse_ip(ip) else {
        return Err("must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)".to_string());
    };
    if n <= BASE || n >= BASE + SIZE - 1 {
        return Err("failed to allocate IP ".to_string()
            + ip
            + ": the provided IP ("
            + ip
            + ") is not in the valid range. The range of valid IPs is 10.96.0.0/12");
    }
    if used.iter().any(|u| u == ip) {
        return Err(format!("failed to allocate IP {ip}: provided IP is already allocated"));
    }
    Ok(())
}

pub fn allocate_node_port(rng: &mut Rng, used: &[i64]) -> i64 {
    loop {
        let p = NODE_PORT_MIN + rng.below((NODE_PORT_MAX - NODE_PORT_MIN + 1) as u64) as i64;
        if !used.contains(&p) {
            return p;
        }
    }
}

/// A requested node port, with the port allocator's messages (case A28/A29 of the catalogue).
pub fn check_node_port(port: i64, used: &[i64]) -> Result<(), &'static str> {
    if !(NODE_PORT_MIN..=NODE_PORT_MAX).contains(&port) {
        return Err("provided port is not in the valid range. The range of valid ports is 30000-32767");
    }
    if used.contains(&port) {
        return Err("provided port is already allocated");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allocations_stay_in_range() {
        let mut rng = Rng::new(1);
        let ip = parse_ip(&allocate_cluster_ip(&mut rng, &[])).unwrap_or(0);
        assert!(ip > BASE + STATIC_BAND && ip < BASE + SIZE);
        let p = allocate_node_port(&mut rng, &[]);
        assert!((30000..=32767).contains(&p));
        assert_eq!(check_node_port(80, &[]), Err("provided port is not in the valid range. The range of valid ports is 30000-32767"));
        assert_eq!(check_node_port(30080, &[30080]), Err("provided port is already allocated"));
        assert!(check_cluster_ip("10.96.0.10", &["10.96.0.1".into()]).is_ok());
    }
}
