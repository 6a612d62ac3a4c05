//! Walking every page of a listing action (`limitstart` / `limitnum`).

use std::collections::VecDeque;

use crate::action::Action;
use crate::client::{Call, Client};
use crate::error::Error;

/// An action that lists records page by page (generated for specs with `paged = true`).
pub trait Paged: Action {
    /// One record of the list.
    type Item;
    /// Asks for `num` records starting at offset `start`.
    fn set_page(&mut self, start: i64, num: i64);
    /// The records of one answer.
    fn page_items(response: Self::Response) -> Vec<Self::Item>;
    /// How many records match in all, if WHMCS said.
    fn total(response: &Self::Response) -> Option<i64>;
}

/// Every record of a listing, fetched a page at a time as you go.
///
/// ```no_run
/// # async fn run(client: whmcs_api::Client) -> Result<(), Box<dyn std::error::Error>> {
/// let mut unpaid = client.get_invoices().status(whmcs_api::actions::GetInvoicesStatus::Unpaid).pages(50);
/// while let Some(invoice) = unpaid.next().await {
///     println!("{:?}", invoice?.id);
/// }
/// # Ok(()) }
/// ```
#[derive(Debug)]
#[must_use = "pages are fetched only when `next` is awaited"]
pub struct Pages<A: Paged> {
    client: Client,
    request: A,
    page_size: i64,
    next_start: i64,
    buffer: VecDeque<A::Item>,
    done: bool,
    total: Option<i64>,
}

impl<A: Paged> Pages<A> {
    pub(crate) fn new(client: Client, request: A, page_size: i64) -> Self {
        Self {
            client,
            request,
            page_size: page_size.max(1),
            next_start: 0,
            buffer: VecDeque::new(),
            done: false,
            total: None,
        }
    }

    /// The next record, fetching the next page when the current one is used up; `None` at the end.
    pub async fn next(&mut self) -> Option<Result<A::Item, Error<A::Error>>>
    where
        A: Clone,
    {
        loop {
            if let Some(item) = self.buffer.pop_front() {
                return Some(Ok(item));
            }
            if self.done {
                return None;
            }
            let mut request = self.request.clone();
            request.set_page(self.next_start, self.page_size);
            let response = match self.client.execute(request).await {
                Ok(r) => r,
                Err(e) => {
                    self.done = true;
                    return Some(Err(e));
                }
            };
            self.total = A::total(&response).or(self.total);
            let items = A::page_items(response);
            let got = items.len() as i64;
            self.next_start += got;
            self.buffer.extend(items);
            // The end: a short page, or as many records as WHMCS said there are.
            if got < self.page_size || self.total.is_some_and(|t| self.next_start >= t) {
                self.done = true;
            }
        }
    }

    /// How many records match in all, once the first page is in.
    pub fn total(&self) -> Option<i64> {
        self.total
    }

    /// Fetches every remaining record.
    pub async fn collect(mut self) -> Result<Vec<A::Item>, Error<A::Error>>
    where
        A: Clone,
    {
        let mut out = Vec::new();
        while let Some(item) = self.next().await {
            out.push(item?);
        }
        Ok(out)
    }
}

impl<A: Paged> Call<A> {
    /// Every matching record, `page_size` per request.
    pub fn pages(self, page_size: i64) -> Pages<A> {
        let (client, request) = self.into_parts();
        Pages::new(client, request, page_size)
    }

    /// Every matching record, 100 per request.
    pub fn stream(self) -> Pages<A> {
        self.pages(100)
    }
}
