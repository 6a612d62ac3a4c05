//! Throughput and latency of the mock under 50 concurrent clients, each doing AddClient +
//! AddOrder + GetClientsProducts in a loop, against a mock whose state file already holds
//! 5 MB, next to the same load on a mock that keeps its state in memory only.
//!
//! ```sh
//! cargo run --release -p whmcs-mock --example measure_throughput [-- SECONDS]
//! ```
//!
//! Clients and server share the process (and the machine's cores), so the figures are what one
//! machine does with both sides of the load.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use whmcs_api::actions::AddClientRequired;
use whmcs_api::{Client, RetryPolicy};
use whmcs_mock::{MockConfig, MockServer};

const CLIENTS: usize = 50;
const STATE_BYTES: u64 = 5_000_000;

fn client_for(mock: &MockServer) -> Result<Client, whmcs_api::BuildError> {
    mock.client_builder()
        .retry(RetryPolicy::none())
        .timeout(Duration::from_secs(30))
        .build()
}

/// One round: a new client, an order for it, its products. The latency of each call.
async fn round(client: &Client, email: &str, out: &mut Vec<Duration>) -> Result<(), String> {
    let t = Instant::now();
    let added = client
        .add_client(AddClientRequired {
            firstname: "Ada",
            lastname: "Lovelace",
            email,
            address1: "1 Analytical Way",
            city: "London",
            state: "LDN",
            postcode: "N1 9GU",
            country: "GB",
            phonenumber: "+44.2070000000",
        })
        .await
        .map_err(|e| e.to_string())?;
    out.push(t.elapsed());
    let id = added.clientid;
    let t = Instant::now();
    client
        .add_order(id, "mailin")
        .pid([1])
        .domain(["example.com"])
        .billingcycle(["monthly"])
        .await
        .map_err(|e| e.to_string())?;
    out.push(t.elapsed());
    let t = Instant::now();
    client
        .get_clients_products()
        .clientid(id)
        .await
        .map_err(|e| e.to_string())?;
    out.push(t.elapsed());
    Ok(())
}

/// When a load stops.
#[derive(Clone)]
enum Stop {
    After(Duration),
    /// Once the state file and its journal hold this many bytes.
    StateFile(PathBuf, u64),
    /// After this many rounds in all.
    Rounds(usize),
}

/// Runs the load on `mock` until `stop`: the latency of every call, and the time it took.
async fn load(
    mock: &MockServer,
    tag: &str,
    stop: Stop,
) -> Result<(Vec<Duration>, Duration), Box<dyn std::error::Error>> {
    let started = Instant::now();
    let counter = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for worker in 0..CLIENTS {
        let client = client_for(mock)?;
        let (counter, tag, stop) = (counter.clone(), tag.to_string(), stop.clone());
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            loop {
                let n = counter.fetch_add(1, Ordering::Relaxed);
                let done = match &stop {
                    Stop::After(d) => started.elapsed() >= *d,
                    Stop::StateFile(path, bytes) => state_bytes(path) >= *bytes,
                    Stop::Rounds(r) => n >= *r,
                };
                if done {
                    break;
                }
                let email = format!("{tag}-{worker}-{n}@example.com");
                round(&client, &email, &mut latencies).await?;
            }
            Ok::<_, String>(latencies)
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await??);
    }
    Ok((all, started.elapsed()))
}

/// What the state file and its journal hold on disk.
fn state_bytes(path: &Path) -> u64 {
    let journal = path.with_file_name(format!(
        "{}.journal",
        path.file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default()
    ));
    std::fs::metadata(path).map_or(0, |m| m.len())
        + std::fs::metadata(journal).map_or(0, |m| m.len())
}

fn report(what: &str, mut latencies: Vec<Duration>, elapsed: Duration) {
    latencies.sort();
    let pct = |p: f64| {
        let i = ((latencies.len() as f64 - 1.0) * p).round() as usize;
        latencies.get(i).copied().unwrap_or_default()
    };
    println!(
        "{what:<34} {:>7.0} requests/s   p50 {:>6.1} ms   p99 {:>6.1} ms   max {:>6.1} ms   ({} requests in {:.1} s)",
        latencies.len() as f64 / elapsed.as_secs_f64(),
        pct(0.50).as_secs_f64() * 1000.0,
        pct(0.99).as_secs_f64() * 1000.0,
        latencies.last().copied().unwrap_or_default().as_secs_f64() * 1000.0,
        latencies.len(),
        elapsed.as_secs_f64()
    );
}

/// A state file of at least 5 MB, made by the same load (and compacted when the mock stops);
/// and how many rounds that took.
async fn seeded_state(dir: &Path) -> Result<(PathBuf, usize), Box<dyn std::error::Error>> {
    let path = dir.join("state.json");
    let config = MockConfig {
        state_file: Some(path.clone()),
        ..MockConfig::default()
    };
    let mut rounds = 0;
    // Until the snapshot itself (written when the mock stops) holds 5 MB, in steps of 256 KB of
    // journal: a round's line in the journal is about half what it adds to the state.
    while std::fs::metadata(&path).map_or(0, |m| m.len()) < STATE_BYTES {
        let mock = MockServer::start_with(config.clone()).await?;
        let stop = Stop::StateFile(path.clone(), state_bytes(&path) + (256 << 10));
        rounds += load(&mock, &format!("seed{rounds}"), stop).await?.0.len() / 3;
        drop(mock);
    }
    Ok((path, rounds))
}

#[tokio::main(flavor = "multi_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let seconds: f64 = std::env::args().nth(1).map_or(Ok(10.0), |s| s.parse())?;
    let run = Duration::from_secs_f64(seconds);
    let dir = std::env::temp_dir().join(format!("whmcs-mock-throughput-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;

    let (path, rounds) = seeded_state(&dir).await?;
    let size = std::fs::metadata(&path)?.len();
    println!(
        "{CLIENTS} clients, each AddClient + AddOrder + GetClientsProducts in a loop, {seconds} s per run"
    );
    println!(
        "state file: {:.1} MB ({rounds} clients with an order each)",
        size as f64 / 1e6
    );

    let loadavg = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!("load average before: {}", loadavg.trim());

    // The same amount of data, kept in memory only.
    let memory = MockServer::start().await?;
    load(&memory, "seed", Stop::Rounds(rounds)).await?;
    let (lat, elapsed) = load(&memory, "memory", Stop::After(run)).await?;
    drop(memory);
    report("in memory (same data)", lat, elapsed);

    let durable = MockServer::start_with(MockConfig {
        state_file: Some(path.clone()),
        ..MockConfig::default()
    })
    .await?;
    let (lat, elapsed) = load(&durable, "durable", Stop::After(run)).await?;
    drop(durable);
    report("state file (5 MB, journal + fsync)", lat, elapsed);

    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
