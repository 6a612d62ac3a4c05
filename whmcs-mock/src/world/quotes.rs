//! Quotes: priced proposals for a client or a prospect, sent, then accepted into an invoice
//! (creating the prospect's client account on the way).

use serde::{Deserialize, Serialize};
use whmcs_api::actions::billing::get_quotes;
use whmcs_api::actions::{
    AcceptQuote, AcceptQuoteError, AcceptQuoteResponse, CreateQuote, CreateQuoteError,
    CreateQuoteResponse, DeleteQuote, DeleteQuoteError, DeleteQuoteResponse, GetQuotes,
    GetQuotesError, GetQuotesResponse, QuoteStage, SendQuote, SendQuoteError, SendQuoteResponse,
    UpdateQuote, UpdateQuoteError, UpdateQuoteResponse,
};
use whmcs_api::{Date, Decimal, PhpKey, PhpValue, Serialized};

use super::billing::{NewItem, cents, local_date, percent, raise_invoice, sum};
use super::clients::Client;
use super::registry::Registry;
use super::{State, Table, page};

/// The quote tables.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct Quotes {
    pub(crate) quotes: Table<Quote>,
    /// The id the next quote line gets (lines are numbered across quotes).
    next_item: i64,
}

/// A quote.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Quote {
    pub(crate) subject: String,
    pub(crate) stage: QuoteStage,
    pub(crate) validuntil: Date,
    /// The client it is for (0 for a prospect).
    pub(crate) userid: i64,
    /// Who it is for when there is no client yet.
    pub(crate) prospect: Prospect,
    pub(crate) currency: i64,
    pub(crate) proposal: String,
    pub(crate) customernotes: String,
    pub(crate) adminnotes: String,
    pub(crate) datecreated: Date,
    pub(crate) lastmodified: Date,
    pub(crate) datesent: Option<Date>,
    pub(crate) dateaccepted: Option<Date>,
    pub(crate) items: Vec<QuoteLine>,
    /// The invoice accepting it raised (0 until then).
    pub(crate) invoiceid: i64,
}

/// A prospect's details on a quote.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct Prospect {
    pub(crate) firstname: String,
    pub(crate) lastname: String,
    pub(crate) companyname: String,
    pub(crate) email: String,
    pub(crate) address1: String,
    pub(crate) address2: String,
    pub(crate) city: String,
    pub(crate) state: String,
    pub(crate) postcode: String,
    pub(crate) country: String,
    pub(crate) phonenumber: String,
    pub(crate) tax_id: String,
}

/// One line of a quote.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct QuoteLine {
    pub(crate) id: i64,
    pub(crate) description: String,
    pub(crate) quantity: Decimal,
    pub(crate) unitprice: Decimal,
    /// Percentage off the line.
    pub(crate) discount: Decimal,
    pub(crate) taxable: bool,
}

impl QuoteLine {
    /// Quantity times unit price, less the discount.
    fn total(&self) -> Decimal {
        let gross = self.quantity.saturating_mul(self.unitprice);
        cents(gross.saturating_sub(percent(gross, self.discount)))
    }
}

impl Quote {
    fn subtotal(&self) -> Decimal {
        sum(self.items.iter().map(QuoteLine::total))
    }
}

impl Quotes {
    pub(crate) fn exists(&self, entity: &str, id: i64) -> Option<bool> {
        match entity {
            "quote" => Some(self.quotes.contains(id)),
            _ => None,
        }
    }

    /// A deleted client's quotes go with it.
    pub(crate) fn forget_client(&mut self, client: i64) {
        self.quotes.retain(|_, q| q.userid != client);
    }

    /// How many quotes a client has, and how many of them it accepted.
    pub(crate) fn counts(&self, client: i64) -> (i64, i64) {
        let mine: Vec<_> = self
            .quotes
            .iter()
            .filter(|(_, q)| q.userid == client)
            .collect();
        let accepted = mine
            .iter()
            .filter(|(_, q)| q.stage == QuoteStage::Accepted)
            .count();
        (mine.len() as i64, accepted as i64)
    }

    fn line_id(&mut self) -> i64 {
        let id = self.next_item.max(1);
        self.next_item = id + 1;
        id
    }
}

pub(crate) fn register(r: &mut Registry) {
    r.on::<CreateQuote>(create_quote);
    r.read::<GetQuotes>(get_quotes);
    r.on::<UpdateQuote>(update_quote);
    r.on::<DeleteQuote>(delete_quote);
    r.on::<SendQuote>(send_quote);
    r.on::<AcceptQuote>(accept_quote);
}

/// A line as given in `lineitems`: `id` (existing lines only), `desc`, `qty`, `up`,
/// `discount`, `taxable`.
struct GivenLine {
    id: Option<i64>,
    desc: Option<String>,
    qty: Option<Decimal>,
    up: Option<Decimal>,
    discount: Option<Decimal>,
    taxable: Option<bool>,
}

/// The lines of a `lineitems` parameter: base64 of PHP `serialize()` of a list of arrays, or
/// the same array sent as nested form keys. `None` when it cannot be read.
fn given_lines(s: &Serialized) -> Option<Vec<GivenLine>> {
    let value = match s {
        Serialized::Array(a) => PhpValue::Array(a.clone()),
        Serialized::Encoded(text) => {
            let bytes = base64_decode(text.trim())?;
            let mut p = Unserializer {
                b: &bytes,
                pos: 0,
                depth: 0,
            };
            p.value()?
        }
    };
    let PhpValue::Array(lines) = value else {
        return None;
    };
    lines
        .entries()
        .iter()
        .map(|(_, line)| {
            let PhpValue::Array(fields) = line else {
                return None;
            };
            let get = |name: &str| {
                fields
                    .entries()
                    .iter()
                    .find(|(k, _)| matches!(k, PhpKey::Str(s) if s == name))
                    .map(|(_, v)| v)
            };
            Some(GivenLine {
                id: get("id")
                    .and_then(php_decimal)
                    .and_then(|d| d.trunc().to_string().parse().ok()),
                desc: get("desc").map(php_text),
                qty: get("qty").and_then(php_decimal),
                up: get("up").and_then(php_decimal),
                discount: get("discount").and_then(php_decimal),
                taxable: get("taxable").map(php_bool),
            })
        })
        .collect()
}

fn php_text(v: &PhpValue) -> String {
    match v {
        PhpValue::String(s) => s.clone(),
        PhpValue::Int(i) => i.to_string(),
        PhpValue::Float(f) => f.to_string(),
        PhpValue::Bool(true) => "1".into(),
        _ => String::new(),
    }
}

fn php_decimal(v: &PhpValue) -> Option<Decimal> {
    match v {
        PhpValue::Int(i) => Some(Decimal::from(*i)),
        PhpValue::Float(f) => f.to_string().parse().ok(),
        PhpValue::String(s) => s.trim().parse().ok(),
        PhpValue::Bool(b) => Some(Decimal::from(i64::from(*b))),
        _ => None,
    }
}

/// PHP's truthiness of a value.
fn php_bool(v: &PhpValue) -> bool {
    match v {
        PhpValue::Bool(b) => *b,
        PhpValue::Int(i) => *i != 0,
        PhpValue::Float(f) => *f != 0.0,
        PhpValue::String(s) => !s.is_empty() && s != "0",
        PhpValue::Array(a) => !a.entries().is_empty(),
        PhpValue::Null => false,
    }
}

/// Standard base64 (padding optional); `None` for anything else.
fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let value = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    };
    let body = text.trim_end_matches('=').as_bytes();
    let mut out = Vec::with_capacity(body.len() * 3 / 4);
    for chunk in body.chunks(4) {
        if chunk.len() == 1 {
            return None;
        }
        let mut n = 0u32;
        for (i, c) in chunk.iter().enumerate() {
            n |= value(*c)? << (18 - 6 * i);
        }
        let bytes = n.to_be_bytes();
        out.extend_from_slice(&bytes[1..chunk.len()]);
    }
    Some(out)
}

/// A reader of PHP's `serialize()` format, for the values `lineitems` holds.
struct Unserializer<'a> {
    b: &'a [u8],
    pos: usize,
    depth: usize,
}

impl Unserializer<'_> {
    fn eat(&mut self, byte: u8) -> Option<()> {
        (self.b.get(self.pos) == Some(&byte)).then(|| self.pos += 1)
    }

    /// The text up to `end`, consuming `end`.
    fn until(&mut self, end: u8) -> Option<&str> {
        let rest = self.b.get(self.pos..)?;
        let len = rest.iter().position(|b| *b == end)?;
        let text = std::str::from_utf8(rest.get(..len)?).ok()?;
        self.pos += len + 1;
        Some(text)
    }

    fn string(&mut self) -> Option<String> {
        self.eat(b':')?;
        let len: usize = self.until(b':')?.parse().ok()?;
        self.eat(b'"')?;
        let end = self.pos.checked_add(len)?;
        let text = String::from_utf8_lossy(self.b.get(self.pos..end)?).into_owned();
        self.pos = end;
        self.eat(b'"')?;
        self.eat(b';')?;
        Some(text)
    }

    fn value(&mut self) -> Option<PhpValue> {
        let kind = *self.b.get(self.pos)?;
        self.pos += 1;
        match kind {
            b'N' => self.eat(b';').map(|()| PhpValue::Null),
            b'b' => {
                self.eat(b':')?;
                Some(PhpValue::Bool(self.until(b';')? == "1"))
            }
            b'i' => {
                self.eat(b':')?;
                self.until(b';')?.parse().ok().map(PhpValue::Int)
            }
            b'd' => {
                self.eat(b':')?;
                self.until(b';')?.parse().ok().map(PhpValue::Float)
            }
            b's' => self.string().map(PhpValue::String),
            b'a' => {
                self.depth += 1;
                if self.depth > 16 {
                    return None;
                }
                self.eat(b':')?;
                let n: usize = self.until(b':')?.parse().ok()?;
                self.eat(b'{')?;
                let mut entries = Vec::new();
                for _ in 0..n.min(10_000) {
                    let key = match self.value()? {
                        PhpValue::Int(i) => PhpKey::Int(i),
                        PhpValue::String(s) => PhpKey::Str(s),
                        _ => return None,
                    };
                    entries.push((key, self.value()?));
                }
                self.eat(b'}')?;
                self.depth -= 1;
                Some(PhpValue::Array(entries.into()))
            }
            _ => None,
        }
    }
}

/// A quote's date parameter, in the site's format or the API's.
fn quote_date(text: &str) -> Option<Date> {
    local_date(text).map(|at| at.date())
}

/// A new line from a given one.
fn new_line(q: &mut Quotes, g: GivenLine) -> QuoteLine {
    QuoteLine {
        id: q.line_id(),
        description: g.desc.unwrap_or_default(),
        quantity: g.qty.unwrap_or(Decimal::ONE),
        unitprice: g.up.unwrap_or_default(),
        discount: g.discount.unwrap_or_default(),
        taxable: g.taxable.unwrap_or(false),
    }
}

fn valid_stage(stage: &QuoteStage) -> bool {
    !matches!(stage, QuoteStage::Other(_))
}

fn create_quote(w: &mut State, r: CreateQuote) -> Result<CreateQuoteResponse, CreateQuoteError> {
    if r.subject.trim().is_empty() {
        return Err(CreateQuoteError::SubjectRequired);
    }
    if !valid_stage(&r.stage) {
        return Err(CreateQuoteError::InvalidStage);
    }
    let validuntil = quote_date(&r.validuntil).ok_or(CreateQuoteError::ValidUntilRequired)?;
    let today = w.today();
    let given = r
        .lineitems
        .as_ref()
        .and_then(given_lines)
        .unwrap_or_default();
    let items = given
        .into_iter()
        .map(|g| new_line(&mut w.quotes, g))
        .collect();
    let userid = r.userid.unwrap_or(0);
    let currency = w
        .clients
        .clients
        .get(userid)
        .map_or_else(|| r.currency.unwrap_or(1), |c| c.currency);
    let id = w.quotes.quotes.insert(Quote {
        subject: r.subject,
        stage: r.stage,
        validuntil,
        userid,
        prospect: Prospect {
            firstname: r.firstname.unwrap_or_default(),
            lastname: r.lastname.unwrap_or_default(),
            companyname: r.companyname.unwrap_or_default(),
            email: r.email.unwrap_or_default(),
            address1: r.address1.unwrap_or_default(),
            address2: r.address2.unwrap_or_default(),
            city: r.city.unwrap_or_default(),
            state: r.state.unwrap_or_default(),
            postcode: r.postcode.unwrap_or_default(),
            country: r.country.unwrap_or_default(),
            phonenumber: r.phonenumber.unwrap_or_default(),
            tax_id: r.tax_id.unwrap_or_default(),
        },
        currency,
        proposal: r.proposal.unwrap_or_default(),
        customernotes: r.customernotes.unwrap_or_default(),
        adminnotes: r.adminnotes.unwrap_or_default(),
        datecreated: r
            .datecreated
            .as_deref()
            .and_then(quote_date)
            .unwrap_or(today),
        lastmodified: today,
        datesent: None,
        dateaccepted: None,
        items,
        invoiceid: 0,
    });
    w.log(userid, format!("Created Quote - Quote ID: {id}"));
    Ok(CreateQuoteResponse {
        quoteid: id,
        ..Default::default()
    })
}

fn get_quotes(w: &State, r: GetQuotes) -> Result<GetQuotesResponse, GetQuotesError> {
    let rows: Vec<get_quotes::Quote> = w
        .quotes
        .quotes
        .iter()
        .rev()
        .filter(|(id, q)| {
            r.quoteid.is_none_or(|x| x == *id)
                && r.userid.is_none_or(|x| x == q.userid)
                && r.subject.as_deref().is_none_or(|s| s == q.subject)
                && r.stage.as_ref().is_none_or(|s| *s == q.stage)
                && r.datecreated.is_none_or(|d| d == q.datecreated)
                && r.lastmodified.is_none_or(|d| d == q.lastmodified)
                && r.validuntil.is_none_or(|d| d == q.validuntil)
        })
        .map(|(id, q)| quote_row(w, id, q))
        .collect();
    let (total, start, quotes) = page(rows, r.limitstart, r.limitnum);
    Ok(GetQuotesResponse {
        totalresults: Some(total),
        startnumber: Some(start),
        numreturned: Some(quotes.len() as i64),
        quotes,
        ..Default::default()
    })
}

fn quote_row(w: &State, id: i64, q: &Quote) -> get_quotes::Quote {
    let client = w
        .clients
        .clients
        .get(q.userid)
        .map(|c| get_quotes::QuoteClient {
            id: Some(q.userid),
            firstname: Some(c.firstname.clone()),
            lastname: Some(c.lastname.clone()),
            companyname: Some(c.companyname.clone()),
            email: Some(c.email.clone()),
            datecreated: Some(c.datecreated),
            groupid: Some(c.groupid),
            status: Some(c.status.to_string()),
            ..Default::default()
        });
    let p = &q.prospect;
    let subtotal = q.subtotal();
    get_quotes::Quote {
        id: Some(id),
        subject: Some(q.subject.clone()),
        stage: Some(q.stage.clone()),
        validuntil: Some(q.validuntil),
        userid: Some(q.userid),
        client,
        firstname: Some(p.firstname.clone()),
        lastname: Some(p.lastname.clone()),
        companyname: Some(p.companyname.clone()),
        email: Some(p.email.clone()),
        address_lines: [(1, p.address1.clone()), (2, p.address2.clone())]
            .into_iter()
            .collect(),
        city: Some(p.city.clone()),
        state: Some(p.state.clone()),
        postcode: Some(p.postcode.clone()),
        country: Some(p.country.clone()),
        phonenumber: Some(p.phonenumber.clone()),
        tax_id: Some(p.tax_id.clone()),
        currency: Some(q.currency),
        subtotal: Some(subtotal),
        tax_levels: [(1, Decimal::ZERO), (2, Decimal::ZERO)]
            .into_iter()
            .collect(),
        total: Some(subtotal),
        proposal: Some(q.proposal.clone()),
        customernotes: Some(q.customernotes.clone()),
        adminnotes: Some(q.adminnotes.clone()),
        datecreated: Some(q.datecreated),
        lastmodified: Some(q.lastmodified),
        datesent: q.datesent,
        dateaccepted: q.dateaccepted,
        items: q
            .items
            .iter()
            .map(|l| get_quotes::QuoteItem {
                id: Some(l.id),
                description: Some(l.description.clone()),
                quantity: l.quantity.trunc().to_string().parse().ok(),
                unitprice: Some(l.unitprice),
                discount: l.discount.to_string().parse().ok(),
                taxable: Some(l.taxable),
                ..Default::default()
            })
            .collect(),
        ..Default::default()
    }
}

fn update_quote(w: &mut State, r: UpdateQuote) -> Result<UpdateQuoteResponse, UpdateQuoteError> {
    if !w.quotes.quotes.contains(r.quoteid) {
        return Err(UpdateQuoteError::QuoteIdNotFound);
    }
    if r.stage.as_ref().is_some_and(|s| !valid_stage(s)) {
        return Err(UpdateQuoteError::InvalidStage);
    }
    let given = r
        .lineitems
        .as_ref()
        .and_then(given_lines)
        .unwrap_or_default();
    let today = w.today();
    let mut added = Vec::new();
    let mut changed = Vec::new();
    for g in given {
        match g.id {
            Some(id) if id > 0 => changed.push((id, g)),
            _ => added.push(new_line(&mut w.quotes, g)),
        }
    }
    let userid_client = r
        .userid
        .and_then(|u| w.clients.clients.get(u).map(|c| c.currency));
    let Some(q) = w.quotes.quotes.get_mut(r.quoteid) else {
        return Err(UpdateQuoteError::QuoteIdNotFound);
    };
    for (id, g) in changed {
        if let Some(line) = q.items.iter_mut().find(|l| l.id == id) {
            if let Some(v) = g.desc {
                line.description = v;
            }
            if let Some(v) = g.qty {
                line.quantity = v;
            }
            if let Some(v) = g.up {
                line.unitprice = v;
            }
            if let Some(v) = g.discount {
                line.discount = v;
            }
            if let Some(v) = g.taxable {
                line.taxable = v;
            }
        }
    }
    q.items.extend(added);
    let set = |field: &mut String, v: Option<String>| {
        if let Some(v) = v {
            *field = v;
        }
    };
    set(&mut q.subject, r.subject);
    set(&mut q.prospect.firstname, r.firstname);
    set(&mut q.prospect.lastname, r.lastname);
    set(&mut q.prospect.companyname, r.companyname);
    set(&mut q.prospect.email, r.email);
    set(&mut q.prospect.address1, r.address1);
    set(&mut q.prospect.address2, r.address2);
    set(&mut q.prospect.city, r.city);
    set(&mut q.prospect.state, r.state);
    set(&mut q.prospect.country, r.country);
    set(&mut q.prospect.phonenumber, r.phonenumber);
    set(&mut q.prospect.tax_id, r.tax_id);
    set(&mut q.proposal, r.proposal);
    set(&mut q.customernotes, r.customernotes);
    set(&mut q.adminnotes, r.adminnotes);
    if let Some(s) = r.stage {
        q.stage = s;
    }
    if let Some(d) = r.validuntil.as_deref().and_then(quote_date) {
        q.validuntil = d;
    }
    if let Some(d) = r.datecreated.as_deref().and_then(quote_date) {
        q.datecreated = d;
    }
    if let Some(u) = r.userid {
        q.userid = u;
    }
    if let Some(c) = userid_client.or(r.currency) {
        q.currency = c;
    }
    q.lastmodified = today;
    let userid = q.userid;
    w.log(userid, format!("Modified Quote - Quote ID: {}", r.quoteid));
    Ok(UpdateQuoteResponse::default())
}

fn delete_quote(w: &mut State, r: DeleteQuote) -> Result<DeleteQuoteResponse, DeleteQuoteError> {
    let q = w
        .quotes
        .quotes
        .remove(r.quoteid)
        .ok_or(DeleteQuoteError::QuoteIdNotFound)?;
    w.log(q.userid, format!("Deleted Quote - Quote ID: {}", r.quoteid));
    Ok(DeleteQuoteResponse::default())
}

fn send_quote(w: &mut State, r: SendQuote) -> Result<SendQuoteResponse, SendQuoteError> {
    let today = w.today();
    let q = w
        .quotes
        .quotes
        .get_mut(r.quoteid)
        .ok_or(SendQuoteError::QuoteIdNotFound)?;
    q.datesent = Some(today);
    if q.stage == QuoteStage::Draft {
        q.stage = QuoteStage::Delivered;
    }
    q.lastmodified = today;
    let userid = q.userid;
    w.log(userid, format!("Sent Quote - Quote ID: {}", r.quoteid));
    Ok(SendQuoteResponse::default())
}

/// The client a quote is for: its own, or the prospect's account (found by email, else
/// created with an owner user).
fn quote_client(w: &mut State, quote: i64) -> Option<i64> {
    let q = w.quotes.quotes.get(quote)?;
    if w.clients.clients.contains(q.userid) {
        return Some(q.userid);
    }
    let p = q.prospect.clone();
    let currency = q.currency;
    if !p.email.is_empty()
        && let Some((id, _)) = w.clients.by_email(&p.email)
    {
        return Some(id);
    }
    let owner = super::users::new_user(w, &p.firstname, &p.lastname, &p.email, None, "");
    let mut c = Client::new(p.firstname, p.lastname, p.email, w.today(), owner);
    c.companyname = p.companyname;
    c.address1 = p.address1;
    c.address2 = p.address2;
    c.city = p.city;
    c.state = p.state;
    c.postcode = p.postcode;
    c.country = p.country;
    c.phonenumber = p.phonenumber;
    c.tax_id = p.tax_id;
    if w.billing.currencies.contains(currency) {
        c.currency = currency;
    }
    let id = w.clients.clients.insert(c);
    if let Some(u) = w.clients.users.get_mut(owner) {
        u.clients.push(id);
    }
    w.log(
        id,
        format!("Client Created - Client ID: {id} (from Quote ID: {quote})"),
    );
    Some(id)
}

fn accept_quote(w: &mut State, r: AcceptQuote) -> Result<AcceptQuoteResponse, AcceptQuoteError> {
    let q = w
        .quotes
        .quotes
        .get(r.quoteid)
        .ok_or(AcceptQuoteError::QuoteIdNotFound)?;
    if q.stage == QuoteStage::Accepted && w.billing.invoices.contains(q.invoiceid) {
        return Ok(AcceptQuoteResponse {
            invoiceid: Some(q.invoiceid),
            ..Default::default()
        });
    }
    let client = quote_client(w, r.quoteid).ok_or(AcceptQuoteError::QuoteIdNotFound)?;
    let Some(q) = w.quotes.quotes.get(r.quoteid) else {
        return Err(AcceptQuoteError::QuoteIdNotFound);
    };
    let items = q
        .items
        .iter()
        .map(|l| NewItem {
            kind: "Quote".into(),
            relid: r.quoteid,
            description: if l.quantity == Decimal::ONE {
                l.description.clone()
            } else {
                format!("{} x {}", l.quantity.normalize(), l.description)
            },
            amount: l.total(),
            taxed: l.taxable,
        })
        .collect();
    let gateway = w
        .clients
        .clients
        .get(client)
        .map(|c| c.defaultgateway.clone())
        .filter(|g| !g.is_empty())
        .or_else(|| w.billing.gateways.first().map(|g| g.module.clone()))
        .unwrap_or_else(|| "mailin".into());
    let today = w.today();
    let invoice = raise_invoice(w, client, items, today, &gateway);
    if let Some(q) = w.quotes.quotes.get_mut(r.quoteid) {
        q.userid = client;
        q.stage = QuoteStage::Accepted;
        q.dateaccepted = Some(today);
        q.lastmodified = today;
        q.invoiceid = invoice;
    }
    w.log(
        client,
        format!(
            "Quote Accepted - Quote ID: {} - Invoice ID: {invoice}",
            r.quoteid
        ),
    );
    Ok(AcceptQuoteResponse {
        invoiceid: Some(invoice),
        ..Default::default()
    })
}
