//! Keeping the mock's state across restarts, durably, at the cost of the change.
//!
//! On disk: a snapshot (the state file, the state as plain JSON, which can be written by hand
//! to seed the mock) and a journal beside it (`<state file>.journal`): one line of JSON per
//! write request accepted since that snapshot, after a header naming the snapshot (by its MD5)
//! the journal continues. At start the snapshot is read and the journal replayed, which gives
//! the same state because the handlers are deterministic (fixed dates, ids from a counter, no
//! clock, no randomness). A journal whose header names another snapshot is stale (a compaction
//! ended before it could be removed) and is ignored.
//!
//! A write is acknowledged only once its line is written and flushed to disk (`fdatasync`; the
//! folder too when the journal is created): a writer thread appends what the handlers queued,
//! flushes once for all of it (group commit), then answers each. A read that saw a change not
//! yet on disk waits for it as well, so no answer shows what was not kept. When saving fails,
//! the journal is cut back to what was on disk before, the state is read back from disk as a
//! restart would, and every call still waiting answers an error (HTTP 500).
//!
//! When the journal has grown past the snapshot's size (and at least [`COMPACT_AT_LEAST`]), the
//! state is written as a new snapshot (temporary file beside it, flushed, renamed, folder
//! flushed) and the journal removed: that O(state) write happens once per O(state) of appended
//! changes, so saving costs O(the change) in all. The mock also compacts when it stops.
//!
//! Hand-written: a write-ahead log this small is simpler than any storage engine's API, and
//! its file stays a readable JSON document.

use std::fs::{File, OpenOptions};
use std::io::{Seek, SeekFrom, Write as _};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};

use md5::{Digest, Md5};
use serde::Deserialize;
use serde_json::{Map, Value};
use tokio::sync::oneshot;

use crate::lock;
use crate::world::State;

/// The journal is compacted into a new snapshot once it is larger than the snapshot and than
/// this (so that a small state is not rewritten after every few writes).
const COMPACT_AT_LEAST: u64 = 1 << 20;

/// The state file and its journal.
#[derive(Clone, Debug)]
struct Paths {
    snapshot: PathBuf,
    journal: PathBuf,
    folder: PathBuf,
}

impl Paths {
    fn new(snapshot: &Path) -> Self {
        let name = snapshot
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let folder = snapshot
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_path_buf();
        Self {
            snapshot: snapshot.to_path_buf(),
            journal: snapshot.with_file_name(format!("{name}.journal")),
            folder,
        }
    }

    /// A temporary name beside the snapshot that no state file has (`.name.tmp-<pid>`).
    fn temp(&self) -> PathBuf {
        let name = self
            .snapshot
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        self.snapshot
            .with_file_name(format!(".{name}.tmp-{}", std::process::id()))
    }
}

/// What was found on disk at load.
#[derive(Debug)]
pub(crate) struct Disk {
    /// The MD5 of the snapshot's bytes (`none` without a snapshot): the journal names it.
    snapshot_hash: String,
    snapshot_len: u64,
    /// Whether the journal on disk continues this snapshot (else a new one is started).
    journal_valid: bool,
    /// The bytes of the journal that were read and replayed (header included).
    journal_len: u64,
}

impl Disk {
    /// Whether nothing was on disk yet: no snapshot and no journal for it.
    pub(crate) fn is_new(&self) -> bool {
        self.snapshot_hash == "none" && !self.journal_valid
    }
}

/// One journal line.
#[derive(Deserialize)]
struct Record {
    #[serde(default)]
    action: Option<String>,
    #[serde(default)]
    params: Map<String, Value>,
    #[serde(default)]
    reset: bool,
    /// A whole state that replaced the one before (`MockServer::seed`).
    #[serde(default)]
    seed: Option<Value>,
    /// Days the clock moved on (`MockServer::advance_days`).
    #[serde(default)]
    advance: Option<u32>,
}

#[derive(Deserialize)]
struct Header {
    whmcs_mock_journal: u32,
    snapshot: String,
}

fn header_line(snapshot_hash: &str) -> Vec<u8> {
    format!("{{\"whmcs_mock_journal\":1,\"snapshot\":\"{snapshot_hash}\"}}\n").into_bytes()
}

fn md5_hex(bytes: &[u8]) -> String {
    Md5::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn read_if_there(path: &Path) -> std::io::Result<Option<Vec<u8>>> {
    match std::fs::read(path) {
        Ok(b) => Ok(Some(b)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

/// How much of the journal to read.
#[derive(Clone, Copy)]
enum Journal {
    /// All of it (at start).
    All,
    /// The first bytes, known to be on disk (after a failed write).
    Upto(u64),
    /// None: it holds nothing of this snapshot (after a failed write to a new journal).
    Skip,
}

/// Reads the state: the snapshot, then the journal replayed.
pub(crate) fn load(path: &Path) -> std::io::Result<(State, Disk)> {
    load_within(&Paths::new(path), Journal::All)
}

fn load_within(paths: &Paths, journal: Journal) -> std::io::Result<(State, Disk)> {
    let snapshot = read_if_there(&paths.snapshot)?;
    let mut state = match &snapshot {
        Some(bytes) => serde_json::from_slice(bytes).map_err(|e| {
            std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("{}: not a mock state file: {e}", paths.snapshot.display()),
            )
        })?,
        None => State::default(),
    };
    let mut disk = Disk {
        snapshot_hash: snapshot
            .as_deref()
            .map_or_else(|| "none".to_string(), md5_hex),
        snapshot_len: snapshot.as_ref().map_or(0, |s| s.len() as u64),
        journal_valid: false,
        journal_len: 0,
    };
    let limit = match journal {
        Journal::Skip => return Ok((state, disk)),
        Journal::All => usize::MAX,
        Journal::Upto(n) => usize::try_from(n).unwrap_or(usize::MAX),
    };
    let Some(journal) = read_if_there(&paths.journal)? else {
        return Ok((state, disk));
    };
    let journal = &journal[..limit.min(journal.len())];
    let Some(end) = journal.iter().position(|b| *b == b'\n') else {
        return Ok((state, disk));
    };
    match serde_json::from_slice::<Header>(&journal[..end]) {
        Ok(h) if h.whmcs_mock_journal == 1 && h.snapshot == disk.snapshot_hash => {}
        // Another snapshot's journal: every change in it is in the snapshot already.
        _ => return Ok((state, disk)),
    }
    let mut pos = end + 1;
    while let Some(len) = journal[pos..].iter().position(|b| *b == b'\n') {
        let Ok(record) = serde_json::from_slice::<Record>(&journal[pos..pos + len]) else {
            // Written in part when the process died (never acknowledged): the journal ends here.
            tracing::warn!(path = %paths.journal.display(), offset = pos, "mock journal ends in an unreadable line; ignoring the rest");
            break;
        };
        replay(&mut state, record);
        pos += len + 1;
    }
    disk.journal_valid = true;
    disk.journal_len = pos as u64;
    Ok((state, disk))
}

fn replay(state: &mut State, record: Record) {
    if record.reset {
        *state = State::default();
    } else if let Some(seed) = record.seed {
        match State::from_json(seed) {
            Ok(seeded) => *state = seeded,
            Err(e) => {
                tracing::warn!(error = %e, "mock journal holds a seed that is not a state; skipped")
            }
        }
    } else if let Some(days) = record.advance {
        state.advance(days);
    } else if let Some(info) = record.action.as_deref().and_then(whmcs_api::find_action) {
        // The answer was given when the request was accepted; only the change matters here.
        let _ = state.answer(info, &record.params);
    }
}

/// Writes the state durably as the snapshot: to a temporary file, flushed to disk, renamed over
/// the state file, and the folder flushed, so a crash leaves either the old snapshot or the new.
fn write_snapshot(paths: &Paths, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = paths.temp();
    let written = (|| {
        let mut file = File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&tmp, &paths.snapshot)?;
        sync_folder(&paths.folder)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

fn sync_folder(folder: &Path) -> std::io::Result<()> {
    File::open(folder)?.sync_all()
}

/// The outcome of saving a change.
type Saved = Result<(), String>;

/// A queued change (or, without a line, a read waiting for the changes before it).
struct Entry {
    line: Option<Vec<u8>>,
    done: oneshot::Sender<Saved>,
}

#[derive(Default)]
struct Queue {
    entries: Vec<Entry>,
    /// Entries the writer has taken and not yet answered.
    in_flight: usize,
    stop: bool,
    /// Set when a failure could not be undone on disk: nothing is served any more.
    broken: Option<String>,
}

struct Inner {
    paths: Paths,
    state: Arc<Mutex<State>>,
    queue: Mutex<Queue>,
    wake: Condvar,
}

/// The persistence of one mock server: queues changes and answers once they are on disk.
pub(crate) struct Store {
    inner: Arc<Inner>,
    writer: Mutex<Option<std::thread::JoinHandle<()>>>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("paths", &self.inner.paths)
            .finish_non_exhaustive()
    }
}

/// Settled once a change (or everything before a read) is on disk, or could not be saved.
pub(crate) struct Ticket(oneshot::Receiver<Saved>);

impl Ticket {
    fn settled(outcome: Saved) -> Self {
        let (tx, rx) = oneshot::channel();
        let _ = tx.send(outcome);
        Self(rx)
    }

    /// Waits for the outcome.
    pub(crate) async fn wait(self) -> Saved {
        self.0
            .await
            .unwrap_or_else(|_| Err("the mock is stopping".into()))
    }
}

impl Store {
    /// Starts the writer for the state file `path`, whose contents `load` found as `disk`.
    pub(crate) fn start(
        path: &Path,
        disk: Disk,
        state: Arc<Mutex<State>>,
    ) -> std::io::Result<Self> {
        Self::start_compacting_at(path, disk, state, COMPACT_AT_LEAST)
    }

    /// [`Store::start`], compacting once the journal is past `floor` bytes and the snapshot.
    fn start_compacting_at(
        path: &Path,
        disk: Disk,
        state: Arc<Mutex<State>>,
        floor: u64,
    ) -> std::io::Result<Self> {
        let inner = Arc::new(Inner {
            paths: Paths::new(path),
            state,
            queue: Mutex::new(Queue::default()),
            wake: Condvar::new(),
        });
        let writer = Writer {
            inner: inner.clone(),
            file: None,
            disk,
            floor,
            compact_at: 0,
        };
        let thread = std::thread::Builder::new()
            .name("whmcs-mock-store".into())
            .spawn(move || writer.run())?;
        Ok(Self {
            inner,
            writer: Mutex::new(Some(thread)),
        })
    }

    /// Writes what is queued, compacts, and waits for the writer to finish: a server started
    /// on the same file afterwards finds everything there. Calls arriving later answer an error.
    pub(crate) fn stop(&self) {
        lock(&self.inner.queue).stop = true;
        self.inner.wake.notify_one();
        if let Some(thread) = lock(&self.writer).take() {
            let _ = thread.join();
        }
    }

    /// Why nothing can be served, after a failure that could not be undone.
    pub(crate) fn broken(&self) -> Option<String> {
        lock(&self.inner.queue).broken.clone()
    }

    fn push(&self, line: Option<Vec<u8>>) -> Ticket {
        let mut q = lock(&self.inner.queue);
        if let Some(why) = &q.broken {
            return Ticket::settled(Err(why.clone()));
        }
        if q.stop {
            return Ticket::settled(Err("the mock has stopped".into()));
        }
        let (done, rx) = oneshot::channel();
        q.entries.push(Entry { line, done });
        drop(q);
        self.inner.wake.notify_one();
        Ticket(rx)
    }

    /// Queues a change just applied (call it with the state still locked, so that the journal
    /// holds changes in the order they were applied).
    pub(crate) fn append(&self, action: &str, params: &Map<String, Value>) -> Ticket {
        let mut line = b"{\"action\":".to_vec();
        let encoded =
            serde_json::to_vec(action).and_then(|a| serde_json::to_vec(params).map(|p| (a, p)));
        match encoded {
            Ok((a, p)) => {
                line.extend_from_slice(&a);
                line.extend_from_slice(b",\"params\":");
                line.extend_from_slice(&p);
                line.extend_from_slice(b"}\n");
                self.push(Some(line))
            }
            Err(e) => Ticket::settled(Err(format!("cannot encode the change: {e}"))),
        }
    }

    /// Queues forgetting everything (state locked, as for [`Store::append`]).
    pub(crate) fn reset(&self) -> Ticket {
        self.push(Some(b"{\"reset\":true}\n".to_vec()))
    }

    /// Queues replacing the state by `state` (locked, as for [`Store::append`]).
    pub(crate) fn seed(&self, state: &State) -> Ticket {
        match serde_json::to_vec(&serde_json::json!({ "seed": state })) {
            Ok(mut line) => {
                line.push(b'\n');
                self.push(Some(line))
            }
            Err(e) => Ticket::settled(Err(format!("cannot encode the state: {e}"))),
        }
    }

    /// Queues moving the clock on by `days` (state locked, as for [`Store::append`]).
    pub(crate) fn advance(&self, days: u32) -> Ticket {
        self.push(Some(format!("{{\"advance\":{days}}}\n").into_bytes()))
    }

    /// For a read (state locked): a ticket settled once every change it may have seen is on
    /// disk, or `None` when there is none pending.
    pub(crate) fn barrier(&self) -> Option<Ticket> {
        let q = lock(&self.inner.queue);
        if q.entries.is_empty() && q.in_flight == 0 && q.broken.is_none() {
            return None;
        }
        drop(q);
        Some(self.push(None))
    }
}

impl Drop for Store {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The thread that writes the journal.
struct Writer {
    inner: Arc<Inner>,
    /// The journal, open and positioned at its end, once a change has been written.
    file: Option<File>,
    disk: Disk,
    /// The smallest journal worth compacting ([`COMPACT_AT_LEAST`]).
    floor: u64,
    /// Journal size that triggers a compaction after a failed one (0: the usual rule).
    compact_at: u64,
}

impl Writer {
    fn run(mut self) {
        loop {
            let batch = {
                let mut q = lock(&self.inner.queue);
                while q.entries.is_empty() && !q.stop {
                    q = self
                        .inner
                        .wake
                        .wait(q)
                        .unwrap_or_else(std::sync::PoisonError::into_inner);
                }
                if q.entries.is_empty() {
                    break;
                }
                let batch = std::mem::take(&mut q.entries);
                q.in_flight = batch.len();
                batch
            };
            match self.write(&batch) {
                Ok(()) => {
                    self.settle(batch, &Ok(()));
                    if self.due() {
                        self.compact();
                    }
                }
                Err(e) => {
                    let inner = self.inner.clone();
                    let mut state = lock(&inner.state);
                    self.fail(&mut state, batch, &e);
                }
            }
        }
        // Stopping: leave one file behind when possible.
        if self.disk.journal_valid
            && self.disk.journal_len > header_line(&self.disk.snapshot_hash).len() as u64
        {
            self.compact();
        }
    }

    fn due(&self) -> bool {
        let threshold = self.disk.snapshot_len.max(self.floor).max(self.compact_at);
        self.disk.journal_valid && self.disk.journal_len > threshold
    }

    /// Answers every entry of `batch`.
    fn settle(&self, batch: Vec<Entry>, outcome: &Saved) {
        lock(&self.inner.queue).in_flight = 0;
        for entry in batch {
            let _ = entry.done.send(outcome.clone());
        }
    }

    /// Appends the lines of `batch` to the journal and flushes them to disk.
    fn write(&mut self, batch: &[Entry]) -> std::io::Result<()> {
        let mut bytes = Vec::new();
        for line in batch.iter().filter_map(|e| e.line.as_deref()) {
            bytes.extend_from_slice(line);
        }
        if bytes.is_empty() {
            return Ok(());
        }
        let file = match &mut self.file {
            Some(f) => f,
            None => self
                .file
                .insert(open_journal(&self.inner.paths, &mut self.disk)?),
        };
        file.write_all(&bytes)?;
        file.sync_data()?;
        self.disk.journal_len += bytes.len() as u64;
        Ok(())
    }

    /// After a failed write: the journal cut back to what was on disk, the state read back as
    /// a restart would read it, and every call waiting answered with the error.
    fn fail(&mut self, state: &mut State, batch: Vec<Entry>, error: &std::io::Error) {
        let paths = &self.inner.paths;
        let why = format!(
            "could not save the change to {}: {error}",
            paths.journal.display()
        );
        tracing::warn!(error = %why, "mock state not saved; rolled back");
        let mut waiting = batch;
        {
            let mut q = lock(&self.inner.queue);
            waiting.append(&mut q.entries);
        }
        // Where the write stopped is unknown: reopen (and cut) before the next one.
        self.file = None;
        let undone = if self.disk.journal_valid {
            OpenOptions::new()
                .write(true)
                .open(&paths.journal)
                .and_then(|f| {
                    f.set_len(self.disk.journal_len)?;
                    f.sync_all()
                })
        } else {
            Ok(())
        };
        let journal = if self.disk.journal_valid {
            Journal::Upto(self.disk.journal_len)
        } else {
            Journal::Skip
        };
        match undone.and_then(|()| load_within(paths, journal)) {
            Ok((restored, disk)) => {
                *state = restored;
                self.disk = disk;
            }
            Err(e) => {
                let broken = format!(
                    "{why}; and the state on disk could not be restored ({e}): restart the mock"
                );
                tracing::error!(error = %broken, "mock state unusable");
                lock(&self.inner.queue).broken = Some(broken);
            }
        }
        let outcome = Err(why);
        self.settle(waiting, &outcome);
    }

    /// Writes the whole state as the new snapshot and removes the journal it replaces.
    fn compact(&mut self) {
        let inner = self.inner.clone();
        let mut state = lock(&inner.state);
        // The snapshot must hold exactly what was acknowledged or is waiting: write the queue
        // first, so that nothing queued is lost if the snapshot cannot be written.
        let batch = std::mem::take(&mut lock(&inner.queue).entries);
        if !batch.is_empty() {
            lock(&inner.queue).in_flight = batch.len();
            if let Err(e) = self.write(&batch) {
                self.fail(&mut state, batch, &e);
                return;
            }
            self.settle(batch, &Ok(()));
        }
        let bytes = match serde_json::to_vec(&*state) {
            Ok(b) => b,
            Err(e) => {
                tracing::warn!(error = %e, "cannot encode the mock state; not compacted");
                return;
            }
        };
        drop(state);
        let paths = &inner.paths;
        if let Err(e) = write_snapshot(paths, &bytes) {
            // The journal still holds every change: try again once it has doubled.
            tracing::warn!(path = %paths.snapshot.display(), error = %e, "cannot write the mock snapshot; the journal keeps the changes");
            self.compact_at = self.disk.journal_len.saturating_mul(2);
            return;
        }
        // From here the old journal is stale (it names the old snapshot), removed or not.
        self.file = None;
        self.disk = Disk {
            snapshot_hash: md5_hex(&bytes),
            snapshot_len: bytes.len() as u64,
            journal_valid: false,
            journal_len: 0,
        };
        self.compact_at = 0;
        let _ = std::fs::remove_file(&paths.journal);
    }
}

/// Opens the journal to append to it: the existing one cut to what was replayed, or a new one
/// (header flushed, folder flushed so that the file itself survives a crash).
fn open_journal(paths: &Paths, disk: &mut Disk) -> std::io::Result<File> {
    if disk.journal_valid {
        let mut f = OpenOptions::new().write(true).open(&paths.journal)?;
        // A line the previous process did not finish (never acknowledged) is dropped.
        f.set_len(disk.journal_len)?;
        f.sync_all()?;
        f.seek(SeekFrom::Start(disk.journal_len))?;
        return Ok(f);
    }
    let header = header_line(&disk.snapshot_hash);
    let mut f = OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .open(&paths.journal)?;
    f.write_all(&header)?;
    f.sync_all()?;
    sync_folder(&paths.folder)?;
    disk.journal_valid = true;
    disk.journal_len = header.len() as u64;
    Ok(f)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("whmcs-store-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("dir");
        dir
    }

    fn snapshot_of(state: &State) -> Value {
        serde_json::to_value(state).expect("state as JSON")
    }

    #[tokio::test]
    async fn the_journal_is_compacted_once_it_outgrows_the_snapshot() {
        let dir = temp_dir("compact");
        let path = dir.join("state.json");
        let (state, disk) = load(&path).expect("load");
        let state = Arc::new(Mutex::new(state));
        let store = Store::start_compacting_at(&path, disk, state.clone(), 4096).expect("store");
        let info = whmcs_api::find_action("AddClient").expect("AddClient");
        let mut snapshots = std::collections::BTreeSet::new();
        for n in 0..300 {
            let params = json!({"firstname": "Ada", "lastname": "Lovelace", "email": format!("{n}@example.com"), "address1": "1 Main St", "city": "London", "state": "London", "postcode": "N1", "country": "GB", "phonenumber": "020 7946 0000"});
            let params = params.as_object().cloned().unwrap_or_default();
            let ticket = {
                let mut s = lock(&state);
                let (answer, _) = s.answer(info, &params);
                assert!(answer.is_ok(), "{answer:?}");
                store.append(info.name(), &params)
            };
            ticket.wait().await.expect("saved");
            if let Ok(bytes) = std::fs::read(&path) {
                snapshots.insert(md5_hex(&bytes));
            }
            let journal = std::fs::metadata(dir.join("state.json.journal")).map_or(0, |m| m.len());
            let snapshot = std::fs::metadata(&path).map_or(0, |m| m.len());
            // Never much more than one snapshot's worth (plus the floor) of journal.
            assert!(
                journal <= snapshot.max(4096) + 512,
                "{journal} bytes of journal, {snapshot} of snapshot"
            );
        }
        assert!(snapshots.len() >= 2, "compacted {} times", snapshots.len());
        let (again, _) = load(&path).expect("reload");
        assert_eq!(snapshot_of(&again), snapshot_of(&lock(&state)));
        drop(store);
        assert!(
            !dir.join("state.json.journal").exists(),
            "compacted when stopped"
        );
        let (again, _) = load(&path).expect("reload");
        assert_eq!(snapshot_of(&again), snapshot_of(&lock(&state)));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_stale_journal_is_ignored() {
        let dir = temp_dir("stale");
        let path = dir.join("state.json");
        let empty = serde_json::to_vec(&State::default()).expect("state");
        std::fs::write(&path, &empty).expect("snapshot");
        let mut journal = header_line("not-this-snapshot");
        journal.extend_from_slice(br#"{"reset":true}"#);
        journal.push(b'\n');
        std::fs::write(dir.join("state.json.journal"), &journal).expect("journal");
        let (_, disk) = load(&path).expect("load");
        assert!(!disk.journal_valid);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn no_file_the_mock_writes_shares_the_state_files_name() {
        for name in ["state.json", "x.tmp", ".x.tmp", "state.json.journal", "a"] {
            let paths = Paths::new(&Path::new("/some/dir").join(name));
            assert_ne!(paths.temp(), paths.snapshot, "{name}");
            assert_ne!(paths.journal, paths.snapshot, "{name}");
            assert_ne!(paths.temp(), paths.journal, "{name}");
        }
    }
}
