//! Invoices, their items and payments, the transactions and credit that payments leave, the
//! installation's currencies and payment gateways, and the records of stored pay methods and
//! billable items. The actions on pay methods are in `billing/paymethods.rs`, those on billable
//! items and how an invoice run bills them in `billing/billable.rs`: both build on this module,
//! which uses neither. The actions that can pay an invoice (CreateInvoice, AddInvoicePayment,
//! CapturePayment, ApplyCredit) and GenInvoices are answered in `flows.rs`: a paid invoice
//! settles what it bills on the orders side.

pub(crate) mod billable;
pub(crate) mod paymethods;

use serde::{Deserialize, Serialize};
use whmcs_api::actions::billing::{get_credits, get_invoice, get_transactions};
use whmcs_api::actions::client::get_clients_details::ClientStats;
use whmcs_api::actions::system::get_payment_methods;
use whmcs_api::actions::{
    AddCredit, AddCreditError, AddCreditResponse, AddTransaction, AddTransactionError,
    AddTransactionResponse, BillableInvoiceAction, BillableRecurCycle, BillableUnit,
    CreditDirection, Currency as CurrencyRow, GetCredits, GetCreditsError, GetCreditsResponse,
    GetCurrencies, GetCurrenciesError, GetCurrenciesResponse, GetInvoice, GetInvoiceError,
    GetInvoiceResponse, GetInvoices, GetInvoicesError, GetInvoicesOrder, GetInvoicesOrderby,
    GetInvoicesResponse, GetPaymentMethods, GetPaymentMethodsError, GetPaymentMethodsResponse,
    GetTransactions, GetTransactionsError, GetTransactionsResponse, InvoiceStatus, PayMethodType,
    ServiceStatus, UpdateInvoice, UpdateInvoiceError, UpdateInvoiceResponse, UpdateTransaction,
    UpdateTransactionError, UpdateTransactionResponse,
};
use whmcs_api::{Date, DateTime, Decimal};

use super::registry::Registry;
use super::{State, Table, money, page};

/// The billing tables. A table a seed leaves out starts as on a fresh installation.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct Billing {
    pub(crate) invoices: Table<Invoice>,
    pub(crate) transactions: Table<Transaction>,
    /// The id the next invoice line gets (lines are numbered across invoices).
    next_item: i64,
    /// Every change of every client's credit balance (the balance is their sum).
    pub(crate) credits: Table<Credit>,
    pub(crate) currencies: Table<Currency>,
    /// The activated payment gateways, in display order.
    pub(crate) gateways: Vec<Gateway>,
    /// Cards and bank accounts stored for clients.
    pub(crate) paymethods: Table<PayMethod>,
    /// Charges waiting to be invoiced.
    pub(crate) billable: Table<BillableItem>,
}

/// An invoice.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Invoice {
    pub(crate) userid: i64,
    pub(crate) status: InvoiceStatus,
    pub(crate) date: Date,
    pub(crate) duedate: Date,
    pub(crate) datepaid: Option<DateTime>,
    pub(crate) paymentmethod: String,
    pub(crate) notes: String,
    pub(crate) items: Vec<Item>,
    /// Account credit applied to it.
    pub(crate) credit: Decimal,
    /// Tax percentages of the taxed lines.
    pub(crate) taxrate: Decimal,
    pub(crate) taxrate2: Decimal,
    /// The stored pay method to charge (0 for the client's default).
    #[serde(default)]
    pub(crate) paymethodid: i64,
    /// The last time CapturePayment tried to charge it.
    #[serde(default)]
    pub(crate) lastcaptureattempt: Option<DateTime>,
    #[serde(default)]
    pub(crate) date_cancelled: Option<DateTime>,
}

/// One line of an invoice.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Item {
    pub(crate) id: i64,
    /// What the line bills (`Hosting`, `Domain`, `Item`, …; empty for a custom line).
    pub(crate) kind: String,
    pub(crate) relid: i64,
    pub(crate) description: String,
    pub(crate) amount: Decimal,
    pub(crate) taxed: bool,
}

/// A line to add to a new invoice.
pub(crate) struct NewItem {
    pub(crate) kind: String,
    pub(crate) relid: i64,
    pub(crate) description: String,
    pub(crate) amount: Decimal,
    pub(crate) taxed: bool,
}

/// Money in or out of the business.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Transaction {
    pub(crate) userid: i64,
    pub(crate) invoiceid: i64,
    pub(crate) gateway: String,
    pub(crate) date: DateTime,
    pub(crate) transid: String,
    pub(crate) description: String,
    pub(crate) amountin: Decimal,
    pub(crate) fees: Decimal,
    pub(crate) amountout: Decimal,
    /// Exchange rate to the default currency.
    #[serde(default = "one")]
    pub(crate) rate: Decimal,
    /// The transaction this one refunds (0 for none).
    #[serde(default)]
    pub(crate) refundid: i64,
    /// The currency of a transaction with no client (0: the client's).
    #[serde(default)]
    pub(crate) currency: i64,
}

fn one() -> Decimal {
    Decimal::ONE
}

/// One change of a client's credit balance.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Credit {
    pub(crate) clientid: i64,
    pub(crate) date: Date,
    pub(crate) description: String,
    /// Positive when credit is added, negative when spent or removed.
    pub(crate) amount: Decimal,
    /// The invoice it concerns (0 for none).
    pub(crate) relid: i64,
}

/// A currency amounts can be billed in.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Currency {
    pub(crate) code: String,
    pub(crate) prefix: String,
    pub(crate) suffix: String,
    pub(crate) format: i64,
    pub(crate) rate: Decimal,
}

/// An activated payment gateway.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Gateway {
    /// The system name (`mailin`, `paypal`, …).
    pub(crate) module: String,
    pub(crate) displayname: String,
    pub(crate) kind: GatewayKind,
}

/// What a gateway does with payment details.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum GatewayKind {
    /// Payment by other means, recorded by staff (mail in, bank transfer).
    Invoice,
    /// The client pays on the gateway's own site (PayPal).
    ThirdParty,
    /// Cards stored in WHMCS and charged by it.
    LocalCard,
    /// Cards stored at the gateway as a token.
    RemoteCard,
    /// Bank accounts stored at the gateway as a token.
    RemoteBank,
}

/// A card or bank account stored for a client.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct PayMethod {
    pub(crate) clientid: i64,
    pub(crate) kind: PayMethodType,
    pub(crate) description: String,
    /// The tokenising gateway (empty when stored locally).
    pub(crate) gateway: String,
    pub(crate) card_last_four: String,
    pub(crate) card_type: String,
    /// `MM/YY`, empty for a bank account.
    pub(crate) expiry: String,
    pub(crate) start: String,
    pub(crate) issue: String,
    pub(crate) bank_name: String,
    pub(crate) bank_account_type: String,
    /// Last four digits of the routing code and of the account number.
    pub(crate) bank_code_last_four: String,
    pub(crate) account_last_four: String,
    pub(crate) remote_token: String,
    pub(crate) last_updated: DateTime,
    /// The client's default method (listed first, charged by CapturePayment).
    pub(crate) default: bool,
}

impl PayMethod {
    fn is_card(&self) -> bool {
        matches!(
            self.kind,
            PayMethodType::CreditCard | PayMethodType::RemoteCreditCard
        )
    }
}

/// A charge for a client, invoiced as its `invoiceaction` says.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct BillableItem {
    pub(crate) userid: i64,
    pub(crate) description: String,
    pub(crate) amount: Decimal,
    pub(crate) unit: BillableUnit,
    pub(crate) quantity: Decimal,
    pub(crate) invoiceaction: BillableInvoiceAction,
    /// Every `recur` `recurcycle`s, `recurfor` times in all.
    pub(crate) recur: i64,
    pub(crate) recurcycle: Option<BillableRecurCycle>,
    pub(crate) recurfor: i64,
    pub(crate) duedate: Option<Date>,
    /// How many invoices it has been on.
    pub(crate) invoicecount: i64,
}

impl BillableItem {
    /// Whether it waits for an invoice.
    fn pending(&self) -> bool {
        match self.invoiceaction {
            BillableInvoiceAction::Recur => self.invoicecount < self.recurfor,
            BillableInvoiceAction::Noinvoice => false,
            _ => self.invoicecount == 0,
        }
    }
}

impl Invoice {
    pub(crate) fn subtotal(&self) -> Decimal {
        sum(self.items.iter().map(|i| i.amount))
    }

    fn taxed(&self) -> Decimal {
        sum(self.items.iter().filter(|i| i.taxed).map(|i| i.amount))
    }

    pub(crate) fn tax(&self) -> Decimal {
        cents(percent(self.taxed(), self.taxrate))
    }

    pub(crate) fn tax2(&self) -> Decimal {
        cents(percent(self.taxed(), self.taxrate2))
    }

    /// Items plus taxes, less the credit applied.
    pub(crate) fn total(&self) -> Decimal {
        self.subtotal()
            .saturating_add(self.tax())
            .saturating_add(self.tax2())
            .saturating_sub(self.credit)
    }
}

impl Default for Billing {
    fn default() -> Self {
        Self::fresh()
    }
}

impl Billing {
    /// A fresh installation's billing: US dollars, and the gateways a new WHMCS activates.
    pub(crate) fn fresh() -> Self {
        let mut b = Self {
            invoices: Table::default(),
            transactions: Table::default(),
            next_item: 1,
            credits: Table::default(),
            currencies: Table::default(),
            gateways: Vec::new(),
            paymethods: Table::default(),
            billable: Table::default(),
        };
        b.currencies.insert(Currency {
            code: "USD".into(),
            prefix: "$".into(),
            suffix: " USD".into(),
            format: 1,
            rate: Decimal::ONE,
        });
        for (module, displayname, kind) in [
            ("mailin", "Mail In Payment", GatewayKind::Invoice),
            ("banktransfer", "Bank Transfer", GatewayKind::Invoice),
            ("paypal", "PayPal", GatewayKind::ThirdParty),
            ("offlinecc", "Offline Credit Card", GatewayKind::LocalCard),
        ] {
            b.gateways.push(Gateway {
                module: module.into(),
                displayname: displayname.into(),
                kind,
            });
        }
        b
    }

    pub(crate) fn exists(&self, entity: &str, id: i64) -> Option<bool> {
        match entity {
            "invoice" => Some(self.invoices.contains(id)),
            "transaction" => Some(self.transactions.contains(id)),
            "currency" => Some(self.currencies.contains(id)),
            "paymethod" => Some(self.paymethods.contains(id)),
            "billable_item" => Some(self.billable.contains(id)),
            "credit" => Some(self.credits.contains(id)),
            _ => None,
        }
    }

    fn item_id(&mut self) -> i64 {
        let id = self.next_item.max(1);
        self.next_item = id + 1;
        id
    }

    /// What has been paid towards an invoice.
    pub(crate) fn paid(&self, invoice: i64) -> Decimal {
        sum(self
            .transactions
            .iter()
            .filter(|(_, t)| t.invoiceid == invoice)
            .map(|(_, t)| t.amountin.saturating_sub(t.amountout)))
    }

    /// What is left to pay on an invoice.
    pub(crate) fn balance(&self, invoice: i64) -> Decimal {
        self.invoices.get(invoice).map_or(Decimal::ZERO, |i| {
            i.total().saturating_sub(self.paid(invoice))
        })
    }

    /// A client's credit balance: the sum of its credit log.
    pub(crate) fn credit_balance(&self, client: i64) -> Decimal {
        sum(self
            .credits
            .iter()
            .filter(|(_, c)| c.clientid == client)
            .map(|(_, c)| c.amount))
    }

    /// The gateway with this system name, if activated.
    pub(crate) fn gateway(&self, module: &str) -> Option<&Gateway> {
        self.gateways
            .iter()
            .find(|g| g.module.eq_ignore_ascii_case(module))
    }

    /// Forgets a deleted client's invoices, credit, pay methods and billable items, and its
    /// transactions when asked.
    pub(crate) fn forget_client(&mut self, client: i64, transactions: bool) {
        self.invoices.retain(|_, i| i.userid != client);
        self.credits.retain(|_, c| c.clientid != client);
        self.paymethods.retain(|_, p| p.clientid != client);
        self.billable.retain(|_, b| b.userid != client);
        if transactions {
            self.transactions.retain(|_, t| t.userid != client);
        }
    }

    /// A closed client's unpaid and draft invoices are cancelled.
    pub(crate) fn close_client(&mut self, client: i64, now: DateTime) {
        for (_, i) in self.invoices.iter_mut() {
            if i.userid == client
                && matches!(i.status, InvoiceStatus::Unpaid | InvoiceStatus::Draft)
            {
                i.status = InvoiceStatus::Cancelled;
                i.date_cancelled = Some(now);
            }
        }
    }
}

/// Adds `amount` (negative to take it away) to a client's credit, as one line of its credit log;
/// returns the new balance. The only way a balance changes.
pub(crate) fn change_credit(
    w: &mut State,
    client: i64,
    amount: Decimal,
    description: String,
    relid: i64,
    date: Date,
) -> Decimal {
    w.billing.credits.insert(Credit {
        clientid: client,
        date,
        description,
        amount,
        relid,
    });
    let balance = w.billing.credit_balance(client);
    if let Some(c) = w.clients.clients.get_mut(client) {
        c.credit = balance;
    }
    balance
}

/// Raises an unpaid invoice for `client` with `items`, due on `duedate`; returns its id.
pub(crate) fn raise_invoice(
    w: &mut State,
    client: i64,
    items: Vec<NewItem>,
    duedate: Date,
    paymentmethod: &str,
) -> i64 {
    let items = items
        .into_iter()
        .map(|i| Item {
            id: w.billing.item_id(),
            kind: i.kind,
            relid: i.relid,
            description: i.description,
            amount: i.amount,
            taxed: i.taxed,
        })
        .collect();
    let id = w.billing.invoices.insert(Invoice {
        userid: client,
        status: InvoiceStatus::Unpaid,
        date: w.today(),
        duedate,
        datepaid: None,
        paymentmethod: paymentmethod.to_string(),
        notes: String::new(),
        items,
        credit: Decimal::ZERO,
        taxrate: Decimal::ZERO,
        taxrate2: Decimal::ZERO,
        paymethodid: 0,
        lastcaptureattempt: None,
        date_cancelled: None,
    });
    w.log(client, format!("Created Invoice - Invoice ID: {id}"));
    id
}

/// The sum of `amounts`; absurdly large ones saturate instead of overflowing.
pub(crate) fn sum(amounts: impl IntoIterator<Item = Decimal>) -> Decimal {
    amounts
        .into_iter()
        .fold(Decimal::ZERO, |acc, a| acc.saturating_add(a))
}

/// `rate` percent of `amount`, saturating.
pub(crate) fn percent(amount: Decimal, rate: Decimal) -> Decimal {
    amount
        .saturating_mul(rate)
        .checked_div(Decimal::ONE_HUNDRED)
        .unwrap_or_default()
}

/// An amount rounded to cents as PHP's `round($x, 2)` does: halves away from zero.
pub(crate) fn cents(amount: Decimal) -> Decimal {
    let scaled = amount.saturating_mul(Decimal::ONE_HUNDRED).abs();
    let whole = scaled.saturating_add(Decimal::new(5, 1)).floor();
    let rounded = whole / Decimal::ONE_HUNDRED;
    if amount.is_sign_negative() {
        -rounded
    } else {
        rounded
    }
}

/// An amount as WHMCS shows it in a currency: prefix, two decimals, suffix.
pub(crate) fn format_money(w: &State, currency: i64, amount: Decimal) -> String {
    let c = w.billing.currencies.get(currency);
    format!(
        "{}{:.2}{}",
        c.map_or("", |c| c.prefix.as_str()),
        money(amount),
        c.map_or("", |c| c.suffix.as_str())
    )
}

/// A client's figures for GetClientsDetails' `stats`.
pub(crate) fn client_stats(w: &State, client: i64) -> ClientStats {
    let mut s = ClientStats::default();
    let currency = w.clients.clients.get(client).map_or(1, |c| c.currency);
    let fmt = |amount: Decimal| format_money(w, currency, amount);
    let invoices: Vec<(i64, &Invoice)> = w
        .billing
        .invoices
        .iter()
        .filter(|(_, i)| i.userid == client)
        .collect();
    let by_status = |status: InvoiceStatus, amount: &dyn Fn(i64, &Invoice) -> Decimal| {
        let matching: Vec<_> = invoices
            .iter()
            .filter(|(_, i)| i.status == status)
            .collect();
        (
            matching.len() as i64,
            fmt(sum(matching.iter().map(|(id, i)| amount(*id, i)))),
        )
    };
    let balance = |id: i64, _: &Invoice| w.billing.balance(id);
    let total = |_: i64, i: &Invoice| i.total();
    let (unpaid, unpaid_amount) = by_status(InvoiceStatus::Unpaid, &balance);
    let (paid, paid_amount) = by_status(InvoiceStatus::Paid, &total);
    let (cancelled, cancelled_amount) = by_status(InvoiceStatus::Cancelled, &total);
    let (drafts, drafts_amount) = by_status(InvoiceStatus::Draft, &total);
    let (refunded, refunded_amount) = by_status(InvoiceStatus::Refunded, &total);
    let (collections, collections_amount) = by_status(InvoiceStatus::Collections, &total);
    let (pending, pending_amount) = by_status(InvoiceStatus::PaymentPending, &balance);
    let today = w.today();
    let overdue: Vec<_> = invoices
        .iter()
        .filter(|(_, i)| i.status == InvoiceStatus::Unpaid && i.duedate < today)
        .collect();
    let credit = w.billing.credit_balance(client);
    let mine = || {
        w.billing
            .transactions
            .iter()
            .filter(move |(_, t)| t.userid == client)
    };
    let income = sum(mine().map(|(_, t)| t.amountin.saturating_sub(t.amountout)));
    let fees = sum(mine().map(|(_, t)| t.fees));
    s.numdueinvoices = Some(unpaid);
    s.dueinvoicesbalance = Some(unpaid_amount.clone());
    s.numunpaidinvoices = Some(unpaid);
    s.unpaidinvoicesamount = Some(unpaid_amount);
    s.numpaidinvoices = Some(paid);
    s.paidinvoicesamount = Some(paid_amount);
    s.numcancelledinvoices = Some(cancelled);
    s.cancelledinvoicesamount = Some(cancelled_amount);
    s.num_draft_invoices = Some(drafts);
    s.draft_invoices_balance = Some(drafts_amount);
    s.numrefundedinvoices = Some(refunded);
    s.refundedinvoicesamount = Some(refunded_amount);
    s.numcollectionsinvoices = Some(collections);
    s.collectionsinvoicesamount = Some(collections_amount);
    s.numpaymentpendinginvoices = Some(pending);
    s.paymentpendinginvoicesamount = Some(pending_amount);
    s.numoverdueinvoices = Some(overdue.len() as i64);
    s.overdueinvoicesbalance = Some(fmt(sum(overdue
        .iter()
        .map(|(id, _)| w.billing.balance(*id)))));
    s.incredit = Some(credit > Decimal::ZERO);
    s.creditbalance = Some(fmt(credit));
    s.gross_revenue = Some(fmt(income));
    s.expenses = Some(fmt(fees));
    s.income = Some(fmt(income.saturating_sub(fees)));
    let services: Vec<_> = w
        .orders
        .services
        .iter()
        .filter(|(_, sv)| sv.clientid == client)
        .collect();
    let active = services
        .iter()
        .filter(|(_, sv)| sv.status == ServiceStatus::Active)
        .count() as i64;
    s.productsnumtotal = Some(services.len() as i64);
    s.productsnumactive = Some(active);
    s.productsnumother = Some(services.len() as i64);
    s.productsnumactiveother = Some(active);
    let tickets = w
        .support
        .tickets
        .iter()
        .filter(|(_, t)| t.userid == client)
        .count();
    s.numtickets = Some(tickets as i64);
    let (quotes, accepted) = w.quotes.counts(client);
    s.numquotes = Some(quotes);
    s.numacceptedquotes = Some(accepted);
    s.is_affiliate = Some(w.affiliates.of_client(client).is_some());
    s.numaffiliatesignups = Some(0);
    s
}

pub(crate) fn register(r: &mut Registry) {
    r.read::<GetInvoice>(get_invoice);
    r.read::<GetInvoices>(get_invoices);
    r.on::<UpdateInvoice>(update_invoice);
    r.on::<AddCredit>(add_credit);
    r.read::<GetCredits>(get_credits);
    r.on::<AddTransaction>(add_transaction);
    r.read::<GetTransactions>(get_transactions);
    r.on::<UpdateTransaction>(update_transaction);
    r.read::<GetCurrencies>(get_currencies);
    r.read::<GetPaymentMethods>(get_payment_methods);
}

/// The currency invoices of `client` are in.
fn client_currency(w: &State, client: i64) -> Option<&Currency> {
    let id = w.clients.clients.get(client).map_or(1, |c| c.currency);
    w.billing.currencies.get(id)
}

/// The list row of an invoice.
fn invoice_row(w: &State, id: i64, i: &Invoice) -> whmcs_api::actions::Invoice {
    let client = w.clients.clients.get(i.userid);
    let currency = client_currency(w, i.userid);
    whmcs_api::actions::Invoice {
        id: Some(id),
        userid: Some(i.userid),
        firstname: client.map(|c| c.firstname.clone()),
        lastname: client.map(|c| c.lastname.clone()),
        companyname: client.map(|c| c.companyname.clone()),
        invoicenum: Some(String::new()),
        date: Some(i.date),
        duedate: Some(i.duedate),
        datepaid: i.datepaid,
        last_capture_attempt: i.lastcaptureattempt,
        date_cancelled: i.date_cancelled,
        subtotal: Some(i.subtotal()),
        credit: Some(i.credit),
        tax: Some(i.tax()),
        tax2: Some(i.tax2()),
        total: Some(i.total()),
        taxrate: decimal_f64(i.taxrate),
        taxrate2: decimal_f64(i.taxrate2),
        status: Some(i.status.clone()),
        paymentmethod: Some(i.paymentmethod.clone()),
        paymethodid: Some(i.paymethodid),
        notes: Some(i.notes.clone()),
        currencycode: currency.map(|c| c.code.clone()),
        currencyprefix: currency.map(|c| c.prefix.clone()),
        currencysuffix: currency.map(|c| c.suffix.clone()),
        ..Default::default()
    }
}

fn decimal_f64(d: Decimal) -> Option<f64> {
    d.to_string().parse().ok()
}

fn get_invoices(w: &State, r: GetInvoices) -> Result<GetInvoicesResponse, GetInvoicesError> {
    let today = w.today();
    let mut rows: Vec<(i64, &Invoice)> = w
        .billing
        .invoices
        .iter()
        .filter(|(_, i)| r.userid.is_none_or(|u| u == i.userid))
        .filter(|(_, i)| match &r.status {
            None => true,
            Some(InvoiceStatus::Overdue) => i.status == InvoiceStatus::Unpaid && i.duedate < today,
            Some(s) => *s == i.status,
        })
        .collect();
    match r.orderby {
        Some(GetInvoicesOrderby::Date) => rows.sort_by_key(|(id, i)| (i.date, *id)),
        Some(GetInvoicesOrderby::Duedate) => rows.sort_by_key(|(id, i)| (i.duedate, *id)),
        Some(GetInvoicesOrderby::Total) => rows.sort_by_key(|(id, i)| (i.total(), *id)),
        Some(GetInvoicesOrderby::Status) => {
            rows.sort_by_key(|(id, i)| (i.status.to_string(), *id));
        }
        _ => {}
    }
    if r.order == Some(GetInvoicesOrder::Desc) {
        rows.reverse();
    }
    let rows = rows
        .into_iter()
        .map(|(id, i)| invoice_row(w, id, i))
        .collect();
    let (total, start, invoices) = page(rows, r.limitstart, r.limitnum);
    Ok(GetInvoicesResponse {
        totalresults: Some(total),
        startnumber: Some(start),
        numreturned: Some(invoices.len() as i64),
        invoices,
        ..Default::default()
    })
}

fn get_invoice(w: &State, r: GetInvoice) -> Result<GetInvoiceResponse, GetInvoiceError> {
    let i = w
        .billing
        .invoices
        .get(r.invoiceid)
        .ok_or(GetInvoiceError::InvoiceIdNotFound)?;
    let items = i
        .items
        .iter()
        .map(|it| get_invoice::InvoiceLine {
            id: Some(it.id),
            item_type: Some(it.kind.clone()),
            relid: Some(it.relid),
            description: Some(it.description.clone()),
            amount: Some(it.amount),
            taxed: Some(it.taxed),
            ..Default::default()
        })
        .collect();
    let transactions = w
        .billing
        .transactions
        .iter()
        .filter(|(_, t)| t.invoiceid == r.invoiceid)
        .map(|(id, t)| get_invoice::InvoiceTransaction {
            id: Some(id),
            userid: Some(t.userid),
            currency: Some(t.currency),
            gateway: Some(t.gateway.clone()),
            date: Some(t.date),
            description: Some(t.description.clone()),
            amountin: Some(t.amountin),
            fees: Some(t.fees),
            amountout: Some(t.amountout),
            rate: decimal_f64(t.rate),
            transid: Some(t.transid.clone()),
            invoiceid: Some(t.invoiceid),
            refundid: Some(t.refundid),
            ..Default::default()
        })
        .collect();
    let ccgateway = w
        .billing
        .gateway(&i.paymentmethod)
        .is_some_and(|g| matches!(g.kind, GatewayKind::LocalCard | GatewayKind::RemoteCard));
    Ok(GetInvoiceResponse {
        invoiceid: Some(r.invoiceid),
        invoicenum: Some(String::new()),
        userid: Some(i.userid),
        date: Some(i.date),
        duedate: Some(i.duedate),
        datepaid: i.datepaid,
        lastcaptureattempt: i.lastcaptureattempt,
        subtotal: Some(i.subtotal()),
        credit: Some(i.credit),
        tax: Some(i.tax()),
        tax_levels: [(2, i.tax2())].into_iter().collect(),
        total: Some(i.total()),
        balance: Some(w.billing.balance(r.invoiceid)),
        taxrate: decimal_f64(i.taxrate),
        taxrate_levels: decimal_f64(i.taxrate2)
            .map(|t| (2, t))
            .into_iter()
            .collect(),
        status: Some(i.status.clone()),
        paymentmethod: Some(i.paymentmethod.clone()),
        notes: Some(i.notes.clone()),
        ccgateway: Some(ccgateway),
        items,
        transactions,
        ..Default::default()
    })
}

fn update_invoice(
    w: &mut State,
    r: UpdateInvoice,
) -> Result<UpdateInvoiceResponse, UpdateInvoiceError> {
    let now = w.now;
    let i = w
        .billing
        .invoices
        .get(r.invoiceid)
        .ok_or(UpdateInvoiceError::InvoiceIdNotFound)?;
    let mut status = i.status.clone();
    if let Some(s) = &r.status {
        if matches!(s, InvoiceStatus::Other(_) | InvoiceStatus::Overdue) {
            return Err(UpdateInvoiceError::InvalidStatus {
                status: s.to_string(),
            });
        }
        status = s.clone();
    }
    if r.publish.unwrap_or(false) || r.publishandsendemail.unwrap_or(false) {
        if status != InvoiceStatus::Draft {
            return Err(UpdateInvoiceError::PublishNeedsDraft);
        }
        status = InvoiceStatus::Unpaid;
    }
    for line in r.itemdescription.keys() {
        if !r.itemamount.contains_key(line) || !r.itemtaxed.contains_key(line) {
            return Err(UpdateInvoiceError::ItemFieldsIncomplete);
        }
    }
    let new_ids: Vec<i64> = r
        .newitemdescription
        .iter()
        .map(|_| w.billing.item_id())
        .collect();
    let Some(i) = w.billing.invoices.get_mut(r.invoiceid) else {
        return Err(UpdateInvoiceError::InvoiceIdNotFound);
    };
    if status != i.status {
        match status {
            InvoiceStatus::Paid => i.datepaid = i.datepaid.or(Some(now)),
            InvoiceStatus::Cancelled => i.date_cancelled = Some(now),
            _ => {}
        }
        i.status = status;
    }
    if let Some(v) = r.paymentmethod {
        i.paymentmethod = v;
    }
    if let Some(v) = r.date {
        i.date = v;
    }
    if let Some(v) = r.duedate {
        i.duedate = v;
    }
    if let Some(v) = r.datepaid {
        i.datepaid = DateTime::new(v, 0, 0, 0);
    }
    if let Some(v) = r.notes {
        i.notes = v;
    }
    if let Some(v) = r.credit {
        i.credit = v;
    }
    if let Some(v) = r.taxrate {
        i.taxrate = v;
    }
    if let Some(v) = r.taxrate2 {
        i.taxrate2 = v;
    }
    for (line, description) in &r.itemdescription {
        let (Some(amount), Some(taxed)) = (r.itemamount.get(line), r.itemtaxed.get(line)) else {
            continue;
        };
        if let Some(item) = line
            .parse::<i64>()
            .ok()
            .and_then(|line| i.items.iter_mut().find(|it| it.id == line))
        {
            item.description = description.clone();
            item.amount = *amount;
            item.taxed = *taxed;
        }
    }
    for (n, (description, id)) in r.newitemdescription.iter().zip(new_ids).enumerate() {
        i.items.push(Item {
            id,
            kind: String::new(),
            relid: 0,
            description: description.clone(),
            amount: r.newitemamount.get(n).copied().unwrap_or_default(),
            taxed: r.newitemtaxed.get(n).copied().unwrap_or(false),
        });
    }
    i.items.retain(|it| !r.deletelineids.contains(&it.id));
    let userid = i.userid;
    w.log(
        userid,
        format!("Modified Invoice - Invoice ID: {}", r.invoiceid),
    );
    Ok(UpdateInvoiceResponse {
        invoiceid: Some(r.invoiceid),
        ..Default::default()
    })
}

fn add_credit(w: &mut State, r: AddCredit) -> Result<AddCreditResponse, AddCreditError> {
    if !w.clients.clients.contains(r.clientid) {
        return Err(AddCreditError::ClientIdNotFound);
    }
    if r.amount.is_zero() {
        return Err(AddCreditError::NoAmountProvided);
    }
    if r.amount.is_sign_negative() || r.amount.normalize().scale() > 2 {
        return Err(AddCreditError::AmountNotDecimal);
    }
    let amount = match r.direction {
        Some(CreditDirection::Remove) => -r.amount,
        _ => r.amount,
    };
    let date = r.date.unwrap_or_else(|| w.today());
    let balance = change_credit(w, r.clientid, amount, r.description, 0, date);
    w.log(
        r.clientid,
        format!(
            "Credit Adjusted - Amount: {amount} - User ID: {}",
            r.clientid
        ),
    );
    Ok(AddCreditResponse {
        newbalance: Some(balance),
        ..Default::default()
    })
}

fn get_credits(w: &State, r: GetCredits) -> Result<GetCreditsResponse, GetCreditsError> {
    if !w.clients.clients.contains(r.clientid) {
        return Err(GetCreditsError::ClientIdNotFound);
    }
    let credits: Vec<get_credits::CreditEntry> = w
        .billing
        .credits
        .iter()
        .filter(|(_, c)| c.clientid == r.clientid)
        .map(|(id, c)| get_credits::CreditEntry {
            id: Some(id),
            date: Some(c.date),
            description: Some(c.description.clone()),
            amount: Some(c.amount),
            relid: Some(c.relid),
            ..Default::default()
        })
        .collect();
    Ok(GetCreditsResponse {
        totalresults: Some(credits.len() as i64),
        clientid: Some(r.clientid),
        credits,
        ..Default::default()
    })
}

/// A date as the admin area writes it (`DD/MM/YYYY`), or as the API does (`YYYY-MM-DD`,
/// optionally with a time).
pub(crate) fn local_date(text: &str) -> Option<DateTime> {
    let t = text.trim();
    if let Ok(at) = t.parse::<DateTime>() {
        return Some(at);
    }
    let date = t.parse::<Date>().ok().or_else(|| {
        let mut parts = t.split('/');
        let day = parts.next()?.parse().ok()?;
        let month = parts.next()?.parse().ok()?;
        let year = parts.next()?.parse().ok()?;
        if parts.next().is_some() {
            return None;
        }
        Date::new(year, month, day)
    })?;
    DateTime::new(date, 0, 0, 0)
}

fn add_transaction(
    w: &mut State,
    r: AddTransaction,
) -> Result<AddTransactionResponse, AddTransactionError> {
    if r.paymentmethod.trim().is_empty() {
        return Err(AddTransactionError::PaymentMethodRequired);
    }
    if let Some(u) = r.userid
        && !w.clients.clients.contains(u)
    {
        return Err(AddTransactionError::ClientIdNotFound);
    }
    let invoice_owner = match r.invoiceid {
        Some(id) => Some(
            w.billing
                .invoices
                .get(id)
                .ok_or(AddTransactionError::InvoiceIdNotFound)?
                .userid,
        ),
        None => None,
    };
    if let (Some(u), Some(owner)) = (r.userid, invoice_owner)
        && u != owner
    {
        return Err(AddTransactionError::InvoiceNotOwnedByUser);
    }
    if let Some(c) = r.currencyid
        && !w.billing.currencies.contains(c)
    {
        return Err(AddTransactionError::CurrencyIdNotFound);
    }
    let client = r.userid.or(invoice_owner);
    match (client, r.currencyid) {
        (None, None) => return Err(AddTransactionError::CurrencyIdRequired),
        (Some(u), Some(c)) if w.clients.clients.get(u).is_some_and(|x| x.currency != c) => {
            return Err(AddTransactionError::CurrencyMismatch);
        }
        _ => {}
    }
    let transid = r.transid.unwrap_or_default();
    if !transid.is_empty()
        && !r.allowduplicatetransid.unwrap_or(false)
        && w.billing
            .transactions
            .iter()
            .any(|(_, t)| t.transid == transid)
    {
        return Err(AddTransactionError::TransactionIdNotUnique);
    }
    let now = w.now;
    let date = r.date.as_deref().and_then(local_date).unwrap_or(now);
    let amountin = r.amountin.unwrap_or_default();
    let id = w.billing.transactions.insert(Transaction {
        userid: client.unwrap_or(0),
        invoiceid: r.invoiceid.unwrap_or(0),
        gateway: r.paymentmethod,
        date,
        transid,
        description: r.description.unwrap_or_default(),
        amountin,
        fees: r.fees.unwrap_or_default(),
        amountout: r.amountout.unwrap_or_default(),
        rate: r.rate.unwrap_or(Decimal::ONE),
        refundid: 0,
        currency: if client.is_some() {
            0
        } else {
            r.currencyid.unwrap_or(0)
        },
    });
    if let Some(u) = client
        && r.credit.unwrap_or(false)
        && r.invoiceid.is_none()
        && amountin > Decimal::ZERO
    {
        change_credit(
            w,
            u,
            amountin,
            format!("Credit from Transaction ID: {id}"),
            0,
            date.date(),
        );
    }
    w.log(client.unwrap_or(0), format!("Transaction Added - ID: {id}"));
    Ok(AddTransactionResponse::default())
}

fn get_transactions(
    w: &State,
    r: GetTransactions,
) -> Result<GetTransactionsResponse, GetTransactionsError> {
    let transactions: Vec<get_transactions::Transaction> = w
        .billing
        .transactions
        .iter()
        .filter(|(_, t)| {
            r.clientid.is_none_or(|c| c == t.userid)
                && r.invoiceid.is_none_or(|i| i == t.invoiceid)
                && r.transid.as_deref().is_none_or(|x| x == t.transid)
        })
        .map(|(id, t)| get_transactions::Transaction {
            id: Some(id),
            userid: Some(t.userid),
            currency: Some(t.currency),
            gateway: Some(t.gateway.clone()),
            date: Some(t.date),
            description: Some(t.description.clone()),
            amountin: Some(t.amountin),
            fees: Some(t.fees),
            amountout: Some(t.amountout),
            rate: decimal_f64(t.rate),
            transid: Some(t.transid.clone()),
            invoiceid: Some(t.invoiceid),
            refundid: Some(t.refundid),
            ..Default::default()
        })
        .collect();
    Ok(GetTransactionsResponse {
        totalresults: Some(transactions.len() as i64),
        startnumber: Some(0),
        numreturned: Some(transactions.len() as i64),
        transactions,
        ..Default::default()
    })
}

fn update_transaction(
    w: &mut State,
    r: UpdateTransaction,
) -> Result<UpdateTransactionResponse, UpdateTransactionError> {
    let id = r.transactionid;
    let t = w
        .billing
        .transactions
        .get_mut(id)
        .ok_or(UpdateTransactionError::TransactionIdNotFound)?;
    let before = (t.userid, t.amountin);
    if let Some(v) = r.transid {
        t.transid = v;
    }
    if let Some(v) = r.rate {
        t.rate = v;
    }
    if let Some(v) = r.refundid {
        t.refundid = v;
    }
    if let Some(v) = r.userid {
        t.userid = v;
    }
    if let Some(v) = r.invoiceid {
        t.invoiceid = v;
    }
    if let Some(v) = r.date.and_then(|d| DateTime::new(d, 0, 0, 0)) {
        t.date = v;
    }
    if let Some(v) = r.gateway {
        t.gateway = v;
    }
    if let Some(v) = r.currency {
        t.currency = v;
    }
    if let Some(v) = r.description {
        t.description = v;
    }
    if let Some(v) = r.amountin {
        t.amountin = v;
    }
    if let Some(v) = r.fees {
        t.fees = v;
    }
    if let Some(v) = r.amountout {
        t.amountout = v;
    }
    let (client, invoice, amountin, date) = (t.userid, t.invoiceid, t.amountin, t.date.date());
    if r.credit.unwrap_or(false) && invoice == 0 && amountin > Decimal::ZERO && client != 0 {
        change_credit(
            w,
            client,
            amountin,
            format!("Credit from Transaction ID: {id}"),
            0,
            date,
        );
    }
    w.log(
        client.max(before.0),
        format!("Transaction Modified - ID: {id}"),
    );
    Ok(UpdateTransactionResponse {
        transactionid: Some(id),
        ..Default::default()
    })
}

fn get_currencies(
    w: &State,
    _: GetCurrencies,
) -> Result<GetCurrenciesResponse, GetCurrenciesError> {
    let currencies: Vec<CurrencyRow> = w
        .billing
        .currencies
        .iter()
        .map(|(id, c)| CurrencyRow {
            id: Some(id),
            code: Some(c.code.clone()),
            prefix: Some(c.prefix.clone()),
            suffix: Some(c.suffix.clone()),
            format: Some(c.format),
            rate: decimal_f64(c.rate),
            ..Default::default()
        })
        .collect();
    Ok(GetCurrenciesResponse {
        totalresults: Some(currencies.len() as i64),
        currencies,
        ..Default::default()
    })
}

fn get_payment_methods(
    w: &State,
    _: GetPaymentMethods,
) -> Result<GetPaymentMethodsResponse, GetPaymentMethodsError> {
    // The gateway modules switched on (ActivateModule, DeactivateModule), in billing's order,
    // named as billing names them.
    let active = w.modules.active_names("gateway");
    let known = w
        .billing
        .gateways
        .iter()
        .filter(|g| active.contains(&g.module));
    let others = active
        .iter()
        .filter(|m| !w.billing.gateways.iter().any(|g| g.module == **m));
    let paymentmethods: Vec<get_payment_methods::PaymentMethod> = known
        .map(|g| (g.module.clone(), g.displayname.clone()))
        .chain(others.map(|m| {
            let name = super::modules::known_module("gateway", m)
                .map_or_else(|| m.clone(), |k| k.display.to_string());
            (m.clone(), name)
        }))
        .map(|(module, displayname)| get_payment_methods::PaymentMethod {
            module: Some(module),
            displayname: Some(displayname),
            ..Default::default()
        })
        .collect();
    Ok(GetPaymentMethodsResponse {
        totalresults: Some(paymentmethods.len() as i64),
        paymentmethods,
        ..Default::default()
    })
}
