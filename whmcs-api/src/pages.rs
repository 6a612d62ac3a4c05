//! Walking every page of a listing action (`limitstart` / `limitnum`), one page or several in
//! flight at a time, as a [`Stream`].

use std::collections::{HashSet, VecDeque};
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use whmcs_php::Form;

use crate::action::Action;
use crate::client::{Client, Pending};
use crate::decode::Fields;
use crate::encode::EncodeFields;
use crate::error::Error;

/// An action that lists records page by page (generated for specs with `paged = true`).
pub trait Paged: Action {
    /// One record of the list.
    type Item: Fields;
    /// The records of one answer.
    fn page_items(response: Self::Response) -> Vec<Self::Item>;
    /// How many records match in all, if WHMCS said.
    fn total(response: &Self::Response) -> Option<i64>;
}

/// Every record of a listing, fetched a page at a time as it is consumed. A [`Stream`]; also
/// usable without one through [`Pages::next`] and [`Pages::collect`].
///
/// The first page is fetched alone; once it has told how many records there are, up to
/// [`concurrency`](Pages::concurrency) pages are requested at once (default 1). Records come in
/// page order either way. Rows can move between pages while they are read (a record created or
/// deleted meanwhile); a record whose `id` was already yielded is not yielded again. The stream
/// ends after the first error.
///
/// ```no_run
/// # async fn run(client: whmcs_api::Client) -> Result<(), Box<dyn std::error::Error>> {
/// use whmcs_api::actions::InvoiceStatus;
/// let mut unpaid = client.get_invoices().status(InvoiceStatus::Unpaid).pages(100).concurrency(4);
/// while let Some(invoice) = unpaid.next().await {
///     println!("{:?}", invoice?.id);
/// }
/// # Ok(()) }
/// ```
#[must_use = "pages are fetched only when the stream is polled"]
pub struct Pages<A: Paged> {
    client: Client,
    /// The encoded request without its paging parameters.
    base: String,
    page_size: i64,
    concurrency: usize,
    next_start: i64,
    total: Option<i64>,
    buffer: VecDeque<A::Item>,
    in_flight: VecDeque<Page<A>>,
    /// No page is left to request.
    requested_all: bool,
    /// The stream has ended (every page read, or an error).
    finished: bool,
    seen: HashSet<i64>,
}

// Everything a `Pages` holds is owned (the futures are boxed), so it never needs pinning.
impl<A: Paged> Unpin for Pages<A> {}

enum Page<A: Action> {
    Waiting(Pending<A>),
    Done(Result<A::Response, Error<A::Error>>),
}

impl<A: Paged> std::fmt::Debug for Pages<A> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pages")
            .field("action", &A::INFO.name())
            .field("page_size", &self.page_size)
            .field("concurrency", &self.concurrency)
            .field("next_start", &self.next_start)
            .field("total", &self.total)
            .field("in_flight", &self.in_flight.len())
            .finish_non_exhaustive()
    }
}

/// The pages of `request` (already bound to `client`), `page_size` per request.
#[doc(hidden)]
pub fn pages<A: Paged, R: EncodeFields>(client: &Client, request: &R, page_size: i64) -> Pages<A> {
    let mut form = Form::new();
    request.encode_fields(&mut form, "");
    Pages::new(client.clone(), form.as_str(), page_size)
}

impl Client {
    /// Every record `request` lists, `page_size` per request (see [`Pages`]).
    pub fn pages<A: Paged>(&self, request: A, page_size: i64) -> Pages<A> {
        let mut form = Form::new();
        request.encode(&mut form);
        Pages::new(self.clone(), form.as_str(), page_size)
    }
}

impl<A: Paged> Pages<A> {
    fn new(client: Client, encoded: &str, page_size: i64) -> Self {
        // The pages set `limitstart` and `limitnum` themselves.
        let base = encoded
            .split('&')
            .filter(|pair| {
                let key = pair.split('=').next().unwrap_or("");
                !pair.is_empty() && key != "limitstart" && key != "limitnum"
            })
            .collect::<Vec<_>>()
            .join("&");
        Self {
            client,
            base,
            page_size: page_size.max(1),
            concurrency: 1,
            next_start: 0,
            total: None,
            buffer: VecDeque::new(),
            in_flight: VecDeque::new(),
            requested_all: false,
            finished: false,
            seen: HashSet::new(),
        }
    }

    /// Keeps up to `pages` requests in flight once the total is known (at least 1).
    pub fn concurrency(mut self, pages: usize) -> Self {
        self.concurrency = pages.max(1);
        self
    }

    /// How many records match in all, once the first page is in.
    pub fn total(&self) -> Option<i64> {
        self.total
    }

    /// The next record; `None` at the end.
    pub async fn next(&mut self) -> Option<Result<A::Item, Error<A::Error>>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// Fetches every remaining record.
    pub async fn collect(mut self) -> Result<Vec<A::Item>, Error<A::Error>> {
        let mut out = Vec::new();
        while let Some(item) = self.next().await {
            out.push(item?);
        }
        Ok(out)
    }

    fn request_more(&mut self) {
        let limit = if self.total.is_some() {
            self.concurrency
        } else {
            1
        };
        while !self.requested_all && self.in_flight.len() < limit {
            let mut params = self.base.clone();
            if !params.is_empty() {
                params.push('&');
            }
            params.push_str(&format!(
                "limitstart={}&limitnum={}",
                self.next_start, self.page_size
            ));
            self.in_flight
                .push_back(Page::Waiting(Pending::new(&self.client, params)));
            self.next_start += self.page_size;
            if self.total.is_some_and(|t| self.next_start >= t) {
                self.requested_all = true;
            }
        }
    }

    fn take_page(&mut self, response: A::Response) {
        if self.total.is_none() {
            self.total = A::total(&response);
            if self.total.is_some_and(|t| self.next_start >= t) {
                self.requested_all = true;
            }
        }
        let items = A::page_items(response);
        if (items.len() as i64) < self.page_size {
            // A short page is the last one.
            self.requested_all = true;
        }
        for item in items {
            if let Some(id) = item.record_id()
                && !self.seen.insert(id)
            {
                continue;
            }
            self.buffer.push_back(item);
        }
    }
}

impl<A: Paged> Stream for Pages<A> {
    type Item = Result<A::Item, Error<A::Error>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.buffer.pop_front() {
                return Poll::Ready(Some(Ok(item)));
            }
            if this.finished {
                return Poll::Ready(None);
            }
            this.request_more();
            // Every request in flight makes progress; answers are taken in page order.
            for page in &mut this.in_flight {
                if let Page::Waiting(fut) = page
                    && let Poll::Ready(result) = Pin::new(fut).poll(cx)
                {
                    *page = Page::Done(result);
                }
            }
            match this.in_flight.front() {
                None => {
                    this.finished = true;
                    return Poll::Ready(None);
                }
                Some(Page::Waiting(_)) => return Poll::Pending,
                Some(Page::Done(_)) => {}
            }
            if let Some(Page::Done(result)) = this.in_flight.pop_front() {
                match result {
                    Ok(response) => this.take_page(response),
                    Err(e) => {
                        this.finished = true;
                        this.in_flight.clear();
                        return Poll::Ready(Some(Err(e)));
                    }
                }
            }
        }
    }
}
