//! The simulated world: clusters, hosts, the simulated clock and the seeded random source.
//!
//! Everything the learner can observe lives here and is saved in one state file, so the same
//! commands on the same world always give the same output.

pub mod clock;
pub mod rng;
pub mod scenario;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::cluster::Cluster;
use crate::host::Host;
pub use clock::Clock;
pub use rng::Rng;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct World {
    pub clock: Clock,
    pub rng: Rng,
    /// Clusters by name (`kubernetes` in the default scenario).
    pub clusters: BTreeMap<String, Cluster>,
    /// Every machine the learner can reach, by hostname. Each node of a cluster is a host.
    pub hosts: BTreeMap<String, Host>,
    /// A container sandbox's time limit (Unix seconds): [`World::advance`] stops the clock there
    /// and the shell runs nothing once it is reached, so a container's command can be run up
    /// to any moment of its life. `None` in the learner's world.
    #[serde(skip)]
    pub deadline: Option<i64>,
}

/// Stops [`World::advance`] makes at most in one call.
pub const MAX_WAKES: usize = 10_000;

impl World {
    /// An empty world starting at the scenario epoch with the given seed.
    pub fn new(seed: u64) -> Self {
        World { clock: Clock::default(), rng: Rng::new(seed), clusters: BTreeMap::new(), hosts: BTreeMap::new(), deadline: None }
    }

    /// The cluster a host belongs to, if any.
    pub fn cluster_of_host(&self, host: &str) -> Option<&str> {
        self.hosts.get(host).and_then(|h| h.cluster.as_deref())
    }

    /// Finds the cluster whose API server answers at `server` (a kubeconfig URL).
    pub fn cluster_by_server(&self, server: &str) -> Option<&str> {
        self.clusters.iter().find(|(_, c)| c.server_url() == server).map(|(n, _)| n.as_str())
    }

    /// Lets every cluster catch up, as a real one does in the seconds after a command: what the
    /// controllers finish (namespace deletion, protection finalizers …) happens here. The shell
    /// calls it after every command line.
    pub fn settle(&mut self) {
        let names: Vec<String> = self.clusters.keys().cloned().collect();
        for name in names {
            if let Some(mut api) = self.api(&name) {
                api.settle();
            }
        }
    }

    /// Lets `seconds` of simulated time pass (`sleep`): the clock stops at every moment a
    /// controller asked to be woken ([`next_wake`](crate::cluster::controllers::next_wake)) and
    /// the clusters settle there, so a CronJob fires at its minute and a Job's deadline passes
    /// before the next schedule, as they would while a learner waits. At most
    /// [`MAX_WAKES`] stops, so a loop that keeps asking cannot hang the shell.
    pub fn advance(&mut self, seconds: i64) {
        let mut target = self.clock.now.saturating_add(seconds.max(0));
        if let Some(d) = self.deadline {
            target = target.min(d.max(self.clock.now));
        }
        for _ in 0..MAX_WAKES {
            self.settle();
            let names: Vec<String> = self.clusters.keys().cloned().collect();
            let due = names.iter().filter_map(|n| self.api(n).and_then(|api| crate::cluster::controllers::next_wake(&api))).min();
            match due {
                Some(t) if t <= target => self.clock.now = t,
                _ => break,
            }
        }
        self.clock.now = target;
    }

    /// Whether a sandbox's clock has reached its deadline (nothing more runs in it).
    pub fn past_deadline(&self) -> bool {
        self.deadline.is_some_and(|d| self.clock.now >= d)
    }

    /// Warnings the API servers produced that no client has printed yet, emptied.
    pub fn take_warnings(&mut self) -> Vec<String> {
        self.clusters.values().flat_map(|c| c.warnings.take()).collect()
    }

    /// A handle on one cluster's API server together with the world's clock and random source,
    /// which the API server needs for timestamps, uids and generated names.
    pub fn api(&mut self, cluster: &str) -> Option<crate::cluster::Api<'_>> {
        let World { clock, rng, clusters, .. } = self;
        clusters.get_mut(cluster).map(|c| crate::cluster::Api::new(c, clock, rng))
    }
}
