//! Invoices, their items and payments, and the transactions and credit that payments leave.

use serde::{Deserialize, Serialize};
use whmcs_api::actions::billing::get_invoice;
use whmcs_api::actions::client::get_clients_details::ClientStats;
use whmcs_api::actions::{
    AddInvoicePayment, AddInvoicePaymentError, AddInvoicePaymentResponse, CreateInvoice,
    CreateInvoiceError, CreateInvoiceResponse, GetInvoice, GetInvoiceError, GetInvoiceResponse,
    GetInvoices, GetInvoicesError, GetInvoicesResponse, InvoiceStatus, UpdateInvoice,
    UpdateInvoiceError, UpdateInvoiceResponse,
};
use whmcs_api::{Date, DateTime, Decimal};

use super::registry::Registry;
use super::{State, Table, money, page};

/// The billing tables.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct Billing {
    pub(crate) invoices: Table<Invoice>,
    pub(crate) transactions: Table<Transaction>,
    /// The id the next invoice line gets (lines are numbered across invoices).
    next_item: i64,
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
}

/// One line of an invoice.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Item {
    pub(crate) id: i64,
    /// What the line bills (`Hosting`, `Domain`, …; empty for a custom line).
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
}

impl Invoice {
    pub(crate) fn subtotal(&self) -> Decimal {
        self.items.iter().map(|i| i.amount).sum()
    }

    fn taxed(&self) -> Decimal {
        self.items
            .iter()
            .filter(|i| i.taxed)
            .map(|i| i.amount)
            .sum()
    }

    pub(crate) fn tax(&self) -> Decimal {
        money(self.taxed() * self.taxrate / Decimal::ONE_HUNDRED)
    }

    pub(crate) fn tax2(&self) -> Decimal {
        money(self.taxed() * self.taxrate2 / Decimal::ONE_HUNDRED)
    }

    /// Items plus taxes, less the credit applied.
    pub(crate) fn total(&self) -> Decimal {
        self.subtotal() + self.tax() + self.tax2() - self.credit
    }
}

impl Billing {
    /// A fresh installation's billing: nothing yet.
    pub(crate) fn fresh() -> Self {
        Self {
            next_item: 1,
            ..Self::default()
        }
    }

    pub(crate) fn exists(&self, entity: &str, id: i64) -> Option<bool> {
        match entity {
            "invoice" => Some(self.invoices.contains(id)),
            "transaction" => Some(self.transactions.contains(id)),
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
        self.transactions
            .iter()
            .filter(|(_, t)| t.invoiceid == invoice)
            .map(|(_, t)| t.amountin - t.amountout)
            .sum()
    }

    /// What is left to pay on an invoice.
    pub(crate) fn balance(&self, invoice: i64) -> Decimal {
        self.invoices
            .get(invoice)
            .map_or(Decimal::ZERO, |i| i.total() - self.paid(invoice))
    }

    /// Forgets a deleted client's invoices, and their transactions when asked.
    pub(crate) fn forget_client(&mut self, client: i64, transactions: bool) {
        self.invoices.retain(|_, i| i.userid != client);
        if transactions {
            self.transactions.retain(|_, t| t.userid != client);
        }
    }

    /// A closed client's unpaid invoices are cancelled.
    pub(crate) fn close_client(&mut self, client: i64) {
        for (_, i) in self.invoices.iter_mut() {
            if i.userid == client && i.status == InvoiceStatus::Unpaid {
                i.status = InvoiceStatus::Cancelled;
            }
        }
    }
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
    });
    w.log(client, format!("Created Invoice - Invoice ID: {id}"));
    id
}

/// Records a payment towards an invoice: a transaction, Paid once covered, and any amount
/// past the balance as account credit.
pub(crate) fn apply_payment(
    w: &mut State,
    invoice: i64,
    amount: Decimal,
    fees: Decimal,
    transid: String,
    gateway: String,
    date: DateTime,
) {
    let Some(userid) = w.billing.invoices.get(invoice).map(|i| i.userid) else {
        return;
    };
    let balance = w.billing.balance(invoice);
    w.billing.transactions.insert(Transaction {
        userid,
        invoiceid: invoice,
        gateway,
        date,
        transid,
        description: format!("Invoice Payment (#{invoice})"),
        amountin: amount,
        fees,
        amountout: Decimal::ZERO,
    });
    if amount >= balance {
        if let Some(i) = w.billing.invoices.get_mut(invoice) {
            i.status = InvoiceStatus::Paid;
            i.datepaid = Some(date);
        }
        let over = amount - balance.max(Decimal::ZERO);
        if over > Decimal::ZERO
            && let Some(c) = w.clients.clients.get_mut(userid)
        {
            c.credit += over;
        }
    }
    w.log(userid, format!("Added Payment - Invoice ID: {invoice}"));
}

/// A client's figures for GetClientsDetails' `stats`.
pub(crate) fn client_stats(w: &State, client: i64) -> ClientStats {
    let mut s = ClientStats::default();
    let invoices: Vec<(i64, &Invoice)> = w
        .billing
        .invoices
        .iter()
        .filter(|(_, i)| i.userid == client)
        .collect();
    let sum = |status: InvoiceStatus| -> (i64, Decimal) {
        let matching: Vec<_> = invoices
            .iter()
            .filter(|(_, i)| i.status == status)
            .collect();
        (
            matching.len() as i64,
            matching.iter().map(|(id, _)| w.billing.balance(*id)).sum(),
        )
    };
    let (unpaid, unpaid_amount) = sum(InvoiceStatus::Unpaid);
    let (paid, _) = sum(InvoiceStatus::Paid);
    let (cancelled, _) = sum(InvoiceStatus::Cancelled);
    let today = w.today();
    let overdue: Vec<_> = invoices
        .iter()
        .filter(|(_, i)| i.status == InvoiceStatus::Unpaid && i.duedate < today)
        .collect();
    let credit = w
        .clients
        .clients
        .get(client)
        .map_or(Decimal::ZERO, |c| c.credit);
    s.numdueinvoices = Some(unpaid);
    s.dueinvoicesbalance = Some(unpaid_amount.to_string());
    s.numunpaidinvoices = Some(unpaid);
    s.unpaidinvoicesamount = Some(unpaid_amount.to_string());
    s.numpaidinvoices = Some(paid);
    s.numcancelledinvoices = Some(cancelled);
    s.numoverdueinvoices = Some(overdue.len() as i64);
    s.overdueinvoicesbalance = Some(
        overdue
            .iter()
            .map(|(id, _)| w.billing.balance(*id))
            .sum::<Decimal>()
            .to_string(),
    );
    s.incredit = Some(credit > Decimal::ZERO);
    s.creditbalance = Some(money(credit).to_string());
    let services: Vec<_> = w
        .orders
        .services
        .iter()
        .filter(|(_, sv)| sv.clientid == client)
        .collect();
    s.productsnumtotal = Some(services.len() as i64);
    s.productsnumactive = Some(
        services
            .iter()
            .filter(|(_, sv)| sv.status == whmcs_api::actions::ServiceStatus::Active)
            .count() as i64,
    );
    let tickets = w
        .support
        .tickets
        .iter()
        .filter(|(_, t)| t.userid == client)
        .count();
    s.numtickets = Some(tickets as i64);
    s
}

pub(crate) fn register(r: &mut Registry) {
    r.on::<CreateInvoice>(create_invoice);
    r.read::<GetInvoice>(get_invoice);
    r.read::<GetInvoices>(get_invoices);
    r.on::<AddInvoicePayment>(add_invoice_payment);
    r.on::<UpdateInvoice>(update_invoice);
}

fn create_invoice(
    w: &mut State,
    r: CreateInvoice,
) -> Result<CreateInvoiceResponse, CreateInvoiceError> {
    if !w.clients.clients.contains(r.userid) {
        return Err(CreateInvoiceError::ClientIdNotFound);
    }
    let draft = r.draft.unwrap_or(false);
    if draft && r.sendinvoice.unwrap_or(false) {
        return Err(CreateInvoiceError::DraftCannotBeSent);
    }
    let items = r
        .items
        .into_iter()
        .map(|i| NewItem {
            kind: String::new(),
            relid: 0,
            description: i.description,
            amount: i.amount,
            taxed: i.taxed.unwrap_or(false),
        })
        .collect();
    let today = w.today();
    let id = raise_invoice(
        w,
        r.userid,
        items,
        r.duedate.unwrap_or(today),
        &r.paymentmethod.unwrap_or_else(|| "mailin".into()),
    );
    let status = if draft {
        InvoiceStatus::Draft
    } else {
        r.status.unwrap_or(InvoiceStatus::Unpaid)
    };
    if let Some(i) = w.billing.invoices.get_mut(id) {
        i.status = status.clone();
        i.date = r.date.unwrap_or(today);
        i.notes = r.notes.unwrap_or_default();
        i.taxrate = r.taxrate.unwrap_or_default();
        i.taxrate2 = r.taxrate2.unwrap_or_default();
    }
    Ok(CreateInvoiceResponse {
        invoiceid: id,
        status: Some(status),
        ..Default::default()
    })
}

/// The list row of an invoice.
fn invoice_row(w: &State, id: i64, i: &Invoice) -> whmcs_api::actions::Invoice {
    let client = w.clients.clients.get(i.userid);
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
        subtotal: Some(i.subtotal()),
        credit: Some(i.credit),
        tax: Some(i.tax()),
        tax2: Some(i.tax2()),
        total: Some(i.total()),
        taxrate: decimal_f64(i.taxrate),
        taxrate2: decimal_f64(i.taxrate2),
        status: Some(i.status.clone()),
        paymentmethod: Some(i.paymentmethod.clone()),
        notes: Some(i.notes.clone()),
        currencycode: Some("USD".into()),
        currencyprefix: Some("$".into()),
        currencysuffix: Some(" USD".into()),
        ..Default::default()
    }
}

fn decimal_f64(d: Decimal) -> Option<f64> {
    d.to_string().parse().ok()
}

fn get_invoices(w: &State, r: GetInvoices) -> Result<GetInvoicesResponse, GetInvoicesError> {
    let today = w.today();
    let rows = w
        .billing
        .invoices
        .iter()
        .filter(|(_, i)| r.userid.is_none_or(|u| u == i.userid))
        .filter(|(_, i)| match &r.status {
            None => true,
            Some(InvoiceStatus::Overdue) => i.status == InvoiceStatus::Unpaid && i.duedate < today,
            Some(s) => *s == i.status,
        })
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
            currency: Some(0),
            gateway: Some(t.gateway.clone()),
            date: Some(t.date),
            description: Some(t.description.clone()),
            amountin: Some(t.amountin),
            fees: Some(t.fees),
            amountout: Some(t.amountout),
            transid: Some(t.transid.clone()),
            invoiceid: Some(t.invoiceid),
            ..Default::default()
        })
        .collect();
    Ok(GetInvoiceResponse {
        invoiceid: Some(r.invoiceid),
        invoicenum: Some(String::new()),
        userid: Some(i.userid),
        date: Some(i.date),
        duedate: Some(i.duedate),
        datepaid: i.datepaid,
        subtotal: Some(i.subtotal()),
        credit: Some(i.credit),
        tax: Some(i.tax()),
        total: Some(i.total()),
        balance: Some(w.billing.balance(r.invoiceid)),
        taxrate: decimal_f64(i.taxrate),
        status: Some(i.status.clone()),
        paymentmethod: Some(i.paymentmethod.clone()),
        notes: Some(i.notes.clone()),
        items,
        transactions,
        ..Default::default()
    })
}

fn add_invoice_payment(
    w: &mut State,
    r: AddInvoicePayment,
) -> Result<AddInvoicePaymentResponse, AddInvoicePaymentError> {
    let status = w
        .billing
        .invoices
        .get(r.invoiceid)
        .map(|i| i.status.clone())
        .ok_or(AddInvoicePaymentError::InvoiceIdNotFound)?;
    if status == InvoiceStatus::Cancelled {
        return Err(AddInvoicePaymentError::InvoiceCancelled);
    }
    let amount = r.amount.unwrap_or_else(|| w.billing.balance(r.invoiceid));
    apply_payment(
        w,
        r.invoiceid,
        amount,
        r.fees.unwrap_or_default(),
        r.transid,
        r.gateway,
        r.date,
    );
    Ok(AddInvoicePaymentResponse::default())
}

fn update_invoice(
    w: &mut State,
    r: UpdateInvoice,
) -> Result<UpdateInvoiceResponse, UpdateInvoiceError> {
    let new_ids: Vec<i64> = r
        .newitemdescription
        .iter()
        .map(|_| w.billing.item_id())
        .collect();
    let i = w
        .billing
        .invoices
        .get_mut(r.invoiceid)
        .ok_or(UpdateInvoiceError::InvoiceIdNotFound)?;
    if let Some(status) = r.status {
        if matches!(status, InvoiceStatus::Other(_) | InvoiceStatus::Overdue) {
            return Err(UpdateInvoiceError::InvalidStatus {
                status: status.to_string(),
            });
        }
        i.status = status;
    }
    if r.publish.unwrap_or(false) || r.publishandsendemail.unwrap_or(false) {
        if i.status != InvoiceStatus::Draft {
            return Err(UpdateInvoiceError::PublishNeedsDraft);
        }
        i.status = InvoiceStatus::Unpaid;
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
        let Ok(line) = line.parse::<i64>() else {
            continue;
        };
        let (Some(amount), Some(taxed)) = (
            r.itemamount.get(&line.to_string()),
            r.itemtaxed.get(&line.to_string()),
        ) else {
            return Err(UpdateInvoiceError::ItemFieldsIncomplete);
        };
        if let Some(item) = i.items.iter_mut().find(|it| it.id == line) {
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
