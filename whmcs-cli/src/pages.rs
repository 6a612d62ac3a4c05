//! `--all`: every page of a list action, by `limitstart` / `limitnum`. The first page tells the
//! total; with `--concurrency K` up to K of the remaining pages are then in flight at once, and
//! their items are still printed in page order.

use futures_util::StreamExt as _;
use serde_json::{Map, Value};
use whmcs_api::{ActionInfo, Client};

use crate::Fail;
use crate::outcome::{failure, prepare};
use crate::output::{Format, ListPath, Printer};

/// The page size when the command line gives no `--limitnum`.
const DEFAULT_PAGE: u64 = 100;
/// No list is fetched past this many pages, whatever the server says.
const MAX_PAGES: usize = 100_000;

/// A number WHMCS sent as a number or a numeric string.
fn number(v: &Value) -> Option<u64> {
    v.as_u64()
        .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
}

/// Where the items go: printed at once as JSON Lines, or kept for one document or table.
struct Sink<'a> {
    printer: &'a mut Printer,
    kept: Vec<Value>,
}

impl Sink<'_> {
    fn take(&mut self, items: Vec<Value>) -> Result<(), Fail> {
        if self.printer.format() == Format::Jsonl {
            self.printer.lines(&items).map_err(|e| Fail::from_io(&e))
        } else {
            self.kept.extend(items);
            Ok(())
        }
    }
}

/// Fetches every page and prints the items (JSON Lines unless `--output` says otherwise).
pub(crate) async fn fetch_all(
    client: &Client,
    info: &'static ActionInfo,
    params: Map<String, Value>,
    concurrency: usize,
    printer: &mut Printer,
) -> Result<(), Fail> {
    let list = ListPath::of(info).ok_or_else(|| {
        Fail::usage(format!(
            "{} has no list in its answer to page through",
            info.name()
        ))
    })?;
    let first_start = params.get("limitstart").and_then(number).unwrap_or(0);
    let size = params
        .get("limitnum")
        .and_then(number)
        .filter(|n| *n > 0)
        .unwrap_or(DEFAULT_PAGE);
    let fetch = |start: u64| {
        let mut page = params.clone();
        page.insert("limitstart".into(), Value::String(start.to_string()));
        page.insert("limitnum".into(), Value::String(size.to_string()));
        let prepared = prepare(info, page);
        let client = client.clone();
        async move {
            let answer = client
                .send_prepared(&prepared?)
                .await
                .map_err(|e| failure(info, e))?;
            Ok::<_, Fail>((start, answer))
        }
    };
    let mut sink = Sink {
        printer: &mut *printer,
        kept: Vec::new(),
    };

    let (_, first) = fetch(first_start).await?;
    let mut total = number(&first["totalresults"]);
    let items = list.items(&first);
    let step = items.len() as u64;
    let mut last_len = step;
    let mut next = first_start + step;
    sink.take(items)?;
    let mut pages = 1;

    if concurrency > 1
        && step > 0
        && let Some(t) = total
    {
        let starts: Vec<u64> = (next..t)
            .step_by(usize::try_from(step).unwrap_or(1))
            .collect();
        let mut answers =
            futures_util::stream::iter(starts.into_iter().map(&fetch)).buffered(concurrency);
        while let Some(page) = answers.next().await {
            let (start, answer) = page?;
            let items = list.items(&answer);
            if (items.len() as u64) < step && start + step < t {
                note!(
                    "whmcs: warning: the page at {start} has {} items, not {step}; the list may have changed while paging",
                    items.len()
                );
            }
            last_len = items.len() as u64;
            next = start + last_len;
            total = number(&answer["totalresults"]).or(total);
            sink.take(items)?;
            pages += 1;
        }
    }

    loop {
        let done = last_len == 0
            || total.is_some_and(|t| next >= t)
            || (total.is_none() && last_len < size)
            || pages >= MAX_PAGES;
        if done {
            break;
        }
        let (_, answer) = fetch(next).await?;
        let items = list.items(&answer);
        last_len = items.len() as u64;
        next += last_len;
        total = number(&answer["totalresults"]).or(total);
        sink.take(items)?;
        pages += 1;
    }
    let kept = std::mem::take(&mut sink.kept);
    if printer.format() == Format::Jsonl {
        return Ok(());
    }
    printer.all_items(&kept).map_err(|e| Fail::from_io(&e))
}
