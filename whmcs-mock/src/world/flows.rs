//! The effects that cross entity families, and what sets them off. The entity modules sit below
//! this one and never import it.
//!
//! Paying an invoice settles what it bills ([`invoice_paid`]), so the actions that can pay one
//! are answered here: CreateInvoice (with credit applied at once), AddInvoicePayment,
//! CapturePayment and ApplyCredit. So is GenInvoices, an invoice run on demand
//! ([`raise_invoices`] for services, addons and domains, then the billable items).
//!
//! WHMCS's daily automation, run once for each day the clock moves on ([`super::State::advance`]):
//!
//! 1. Paid invoices settle: each service, addon or domain a paid line bills has its next due
//!    date moved on a term (a domain renewal also extends the expiry), an upgrade paid for is
//!    carried out, and a service suspended for non-payment is unsuspended.
//! 2. Cancellation requests are carried out: Immediate ones at once, End of Billing Period ones
//!    on the service's next due date (the service and its addons become Cancelled).
//! 3. Invoices are raised for Active or Suspended services, addons and domains whose next
//!    invoice date is within [`Automation::invoice_days`] days, one invoice per client and due
//!    date, and the next invoice date moves on a term.
//! 4. Active services [`Automation::suspend_days`] days past their next due date with an unpaid
//!    invoice are suspended ("Overdue on Payment"), unless exempt; past
//!    [`Automation::terminate_days`], when termination is on, terminated. A module that fails is
//!    recorded in the module queue.
//! 5. Domains: transfers in progress complete; registrations past their expiry move to Grace,
//!    Redemption, then Expired as their TLD's periods allow.
//!
//! Unpaid invoices past their due date are Overdue for GetInvoices' filter from the date alone.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use whmcs_api::actions::{
    AddInvoicePayment, AddInvoicePaymentError, AddInvoicePaymentResponse, ApplyCredit,
    ApplyCreditError, ApplyCreditResponse, CapturePayment, CapturePaymentError,
    CapturePaymentResponse, CreateInvoice, CreateInvoiceError, CreateInvoiceResponse, DomainStatus,
    GenInvoices, GenInvoicesError, GenInvoicesResponse, InvoiceStatus, ServiceStatus,
};
use whmcs_api::{Date, DateTime, Decimal};

use super::State;
use super::billing::billable::{Scope, generate_invoices};
use super::billing::paymethods::chargeable_card;
use super::billing::{NewItem, Transaction, change_credit, raise_invoice};
use super::codec::md5_hex;
use super::dates::{add_cycle, add_days, add_years, recurs};
use super::domains;
use super::orders::Orders;
use super::products::amount;
use super::registry::Registry;
use super::services::{self, Command, Failure};
use whmcs_api::actions::CancellationType;

/// The automation settings and the cron's last run.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct Automation {
    /// Invoices are raised this many days before the due date.
    pub(crate) invoice_days: i64,
    /// Whether overdue services are suspended.
    pub(crate) suspend: bool,
    /// Days past the due date before a service is suspended.
    pub(crate) suspend_days: i64,
    /// Whether overdue services are terminated.
    pub(crate) terminate: bool,
    /// Days past the due date before a service is terminated.
    pub(crate) terminate_days: i64,
    /// Whether suspended services are unsuspended when their invoice is paid.
    pub(crate) unsuspend_on_payment: bool,
    /// Whether cancellation requests are carried out.
    pub(crate) cancellations: bool,
    /// When the daily cron last ran.
    pub(crate) last_run: Option<DateTime>,
}

impl Default for Automation {
    /// WHMCS's defaults: invoices 14 days ahead, suspension after 5 days, no termination.
    fn default() -> Self {
        Self {
            invoice_days: 14,
            suspend: true,
            suspend_days: 5,
            terminate: false,
            terminate_days: 30,
            unsuspend_on_payment: true,
            cancellations: true,
            last_run: None,
        }
    }
}

/// The reason the cron gives the services it suspends.
pub(crate) const OVERDUE: &str = "Overdue on Payment";

/// Registers the actions that set off an effect of this module: the payment actions (a payment,
/// a capture or credit can pay an invoice, which settles what it bills) and GenInvoices.
pub(crate) fn register(r: &mut Registry) {
    r.on::<CreateInvoice>(create_invoice);
    r.on::<AddInvoicePayment>(add_invoice_payment);
    r.on::<CapturePayment>(capture_payment);
    r.on::<ApplyCredit>(apply_credit);
    r.on::<GenInvoices>(gen_invoices);
}

/// The daily cron job.
pub(crate) fn daily(w: &mut State) {
    settle_paid(w);
    if w.automation.cancellations {
        process_cancellations(w);
    }
    let all = Scope::default();
    let raised = raise_invoices(w, &all);
    let invoiced: Vec<i64> = raised
        .iter()
        .filter_map(|id| w.billing.invoices.get(*id).map(|i| i.userid))
        .collect();
    generate_invoices(w, &all, &invoiced);
    suspend_overdue(w);
    domain_sync(w);
    w.automation.last_run = Some(w.now);
    w.log(0, "Cron Job: Daily Automation Completed");
}

/// Applies the effects of every paid invoice not yet settled: due dates move on, renewals
/// extend domains, upgrades are carried out, and non-payment suspensions are lifted.
pub(crate) fn settle_paid(w: &mut State) {
    let paid: Vec<i64> = w
        .billing
        .invoices
        .iter()
        .filter(|(id, i)| i.status == InvoiceStatus::Paid && !w.orders.settled.contains(id))
        .map(|(id, _)| id)
        .collect();
    for id in paid {
        invoice_paid(w, id);
    }
}

/// What paying invoice `id` does to the items it bills; a second call does nothing. [`settle`]
/// calls it the moment a payment makes an invoice Paid; the daily cron settles any other paid
/// invoice (one marked Paid by UpdateInvoice, say).
pub(crate) fn invoice_paid(w: &mut State, id: i64) {
    if w.orders.settled.contains(&id) {
        return;
    }
    let Some(items) = w
        .billing
        .invoices
        .get(id)
        .filter(|i| i.status == InvoiceStatus::Paid)
        .map(|i| i.items.clone())
    else {
        return;
    };
    w.orders.settled.insert(id);
    let unsuspend = w.automation.unsuspend_on_payment;
    let mut lift = Vec::new();
    for item in items {
        let orders: &mut Orders = &mut w.orders;
        match item.kind.as_str() {
            "Hosting" => {
                if let Some(s) = orders.services.get_mut(item.relid) {
                    s.nextduedate = add_cycle(s.nextduedate, &s.billingcycle);
                    s.nextinvoicedate = s.nextinvoicedate.max(s.nextduedate);
                    if unsuspend
                        && s.status == ServiceStatus::Suspended
                        && s.suspendreason == OVERDUE
                    {
                        lift.push(item.relid);
                    }
                }
            }
            "Addon" => {
                if let Some(a) = orders.addons.get_mut(item.relid) {
                    a.nextduedate = add_cycle(a.nextduedate, &a.billingcycle);
                    a.nextinvoicedate = a.nextinvoicedate.max(a.nextduedate);
                }
            }
            "DomainRegister" | "DomainTransfer" => {
                if let Some(d) = orders.domains.get_mut(item.relid) {
                    d.nextduedate = add_years(d.nextduedate, d.regperiod.max(1));
                    d.nextinvoicedate = d.nextinvoicedate.max(d.nextduedate);
                }
            }
            "Domain" => {
                if let Some(d) = orders.domains.get_mut(item.relid) {
                    let years = d.regperiod.max(1);
                    d.nextduedate = add_years(d.nextduedate, years);
                    d.nextinvoicedate = d.nextinvoicedate.max(d.nextduedate);
                    if let Some(expiry) = d.expirydate {
                        d.expirydate = Some(add_years(expiry, years));
                        if matches!(
                            d.status,
                            DomainStatus::Grace | DomainStatus::Redemption | DomainStatus::Expired
                        ) {
                            d.status = DomainStatus::Active;
                        }
                    }
                }
            }
            "Upgrade" => services::apply_upgrade(w, item.relid),
            _ => {}
        }
    }
    for sid in lift {
        if services::automate(w, sid, Command::Unsuspend) == Err(Failure::NoModule)
            && let Some(s) = w.orders.services.get_mut(sid)
        {
            s.status = ServiceStatus::Active;
            s.suspendreason.clear();
        }
    }
}

/// Marks an invoice Paid on `date`, and lets the orders side apply what paying does to the
/// services, addons and domains it bills (their next due date moves on a term).
fn settle(w: &mut State, invoice: i64, date: DateTime) {
    if let Some(i) = w.billing.invoices.get_mut(invoice) {
        i.status = InvoiceStatus::Paid;
        i.datepaid = Some(date);
    }
    invoice_paid(w, invoice);
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
        rate: Decimal::ONE,
        refundid: 0,
        currency: 0,
    });
    if amount >= balance {
        let paid_before = w
            .billing
            .invoices
            .get(invoice)
            .is_some_and(|i| i.status == InvoiceStatus::Paid);
        if !paid_before {
            settle(w, invoice, date);
        }
        let over = amount.saturating_sub(balance.max(Decimal::ZERO));
        if over > Decimal::ZERO {
            change_credit(
                w,
                userid,
                over,
                format!("Invoice #{invoice} Overpayment"),
                invoice,
                date.date(),
            );
        }
    }
    w.log(userid, format!("Added Payment - Invoice ID: {invoice}"));
}

fn create_invoice(
    w: &mut State,
    r: CreateInvoice,
) -> Result<CreateInvoiceResponse, CreateInvoiceError> {
    if !w.clients.clients.contains(r.userid) {
        return Err(CreateInvoiceError::ClientIdNotFound);
    }
    let draft = r.draft.unwrap_or(false);
    let send = r.sendinvoice.unwrap_or(false);
    if draft && send {
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
    if r.autoapplycredit.unwrap_or(false) && status == InvoiceStatus::Unpaid {
        let available = w.billing.credit_balance(r.userid);
        let amount = available.min(w.billing.balance(id));
        if amount > Decimal::ZERO {
            spend_credit(w, id, amount);
        }
    }
    let status = w
        .billing
        .invoices
        .get(id)
        .map_or(status, |i| i.status.clone());
    if send {
        // The template WHMCS sends here is unverified against the reference.
        super::mail::send_template(w, "Invoice Created", id);
    }
    Ok(CreateInvoiceResponse {
        invoiceid: id,
        status: Some(status),
        ..Default::default()
    })
}

/// Moves `amount` of the invoice's client's credit onto the invoice; settles it once covered.
/// Returns whether the invoice is now paid.
fn spend_credit(w: &mut State, invoice: i64, amount: Decimal) -> bool {
    let Some(i) = w.billing.invoices.get_mut(invoice) else {
        return false;
    };
    i.credit = i.credit.saturating_add(amount);
    let client = i.userid;
    let today = w.today();
    change_credit(
        w,
        client,
        -amount,
        format!("Credit Applied to Invoice #{invoice}"),
        invoice,
        today,
    );
    w.log(
        client,
        format!("Credit Applied - Invoice ID: {invoice} - Amount: {amount}"),
    );
    if w.billing.balance(invoice) <= Decimal::ZERO {
        let now = w.now;
        settle(w, invoice, now);
        return true;
    }
    false
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
    let paid = w
        .billing
        .invoices
        .get(r.invoiceid)
        .is_some_and(|i| i.status == InvoiceStatus::Paid);
    if paid && status != InvoiceStatus::Paid && !r.noemail.unwrap_or(false) {
        // The template WHMCS sends here is unverified against the reference.
        super::mail::send_template(w, "Invoice Payment Confirmation", r.invoiceid);
    }
    Ok(AddInvoicePaymentResponse::default())
}

fn capture_payment(
    w: &mut State,
    r: CapturePayment,
) -> Result<CapturePaymentResponse, CapturePaymentError> {
    let invoice = w
        .billing
        .invoices
        .get(r.invoiceid)
        .filter(|i| i.status == InvoiceStatus::Unpaid)
        .ok_or(CapturePaymentError::InvoiceNotFoundOrNotUnpaid)?;
    let (client, chosen) = (invoice.userid, invoice.paymethodid);
    let now = w.now;
    if let Some(i) = w.billing.invoices.get_mut(r.invoiceid) {
        i.lastcaptureattempt = Some(now);
    }
    let Some((pm, gateway)) = chargeable_card(w, client, chosen) else {
        w.log(
            client,
            format!(
                "Payment Capture Failed - Invoice ID: {} - No card",
                r.invoiceid
            ),
        );
        return Err(CapturePaymentError::PaymentAttemptFailed);
    };
    let amount = w.billing.balance(r.invoiceid).max(Decimal::ZERO);
    let n = w.billing.transactions.len();
    let transid = md5_hex(&format!("capture:{}:{pm}:{n}:{now}", r.invoiceid))[..20].to_string();
    apply_payment(w, r.invoiceid, amount, Decimal::ZERO, transid, gateway, now);
    Ok(CapturePaymentResponse::default())
}

fn apply_credit(w: &mut State, r: ApplyCredit) -> Result<ApplyCreditResponse, ApplyCreditError> {
    let i = w
        .billing
        .invoices
        .get(r.invoiceid)
        .ok_or(ApplyCreditError::InvoiceIdNotFound)?;
    if i.status != InvoiceStatus::Unpaid {
        return Err(ApplyCreditError::InvoiceNotUnpaid);
    }
    let available = w.billing.credit_balance(i.userid);
    let balance = w.billing.balance(r.invoiceid);
    let amount = r
        .amount
        .unwrap_or_else(|| available.min(balance).max(Decimal::ZERO));
    if amount <= Decimal::ZERO {
        return Err(ApplyCreditError::AmountNotPositive);
    }
    if amount > available {
        return Err(ApplyCreditError::ExceedsCreditBalance);
    }
    if amount > balance {
        return Err(ApplyCreditError::ExceedsInvoiceBalance);
    }
    let paid = spend_credit(w, r.invoiceid, amount);
    Ok(ApplyCreditResponse {
        invoiceid: Some(r.invoiceid),
        amount: Some(amount),
        invoicepaid: Some(paid.to_string()),
        ..Default::default()
    })
}

/// Carries out the cancellation requests that are due.
fn process_cancellations(w: &mut State) {
    let today = w.today();
    let due: Vec<(i64, i64)> = w
        .orders
        .cancellations
        .iter()
        .filter(|(_, c)| !c.done)
        .filter_map(|(id, c)| {
            let s = w.orders.services.get(c.serviceid)?;
            let now = c.kind == CancellationType::Immediate || s.nextduedate <= today;
            now.then_some((id, c.serviceid))
        })
        .collect();
    for (id, sid) in due {
        if let Some(c) = w.orders.cancellations.get_mut(id) {
            c.done = true;
        }
        let live =
            w.orders.services.get(sid).is_some_and(|s| {
                matches!(s.status, ServiceStatus::Active | ServiceStatus::Suspended)
            });
        if live {
            // The account goes from its server; a module that fails is queued and the service is
            // cancelled all the same, as WHMCS does.
            let _ = services::automate(w, sid, Command::Terminate);
        }
        if let Some(s) = w.orders.services.get_mut(sid) {
            s.status = ServiceStatus::Cancelled;
            s.terminationdate = Some(today);
            let client = s.clientid;
            for (_, a) in w.orders.addons.iter_mut() {
                if a.serviceid == sid
                    && !matches!(
                        a.status,
                        ServiceStatus::Terminated | ServiceStatus::Cancelled
                    )
                {
                    a.status = ServiceStatus::Cancelled;
                }
            }
            w.log(client, format!("Service Cancelled - Service ID: {sid}"));
        }
    }
}

/// One line the cron bills, grouped with others of its client and due date.
type Bill = (i64, Date, String);

/// Raises the invoices of services, addons and domains due within the invoice window, one per
/// client, due date and gateway; returns their ids. GenInvoices runs it with a scope.
pub(crate) fn raise_invoices(w: &mut State, scope: &Scope<'_>) -> Vec<i64> {
    let horizon = add_days(w.today(), w.automation.invoice_days.max(0));
    let live = |s: &ServiceStatus| matches!(s, ServiceStatus::Active | ServiceStatus::Suspended);
    let mut bills: BTreeMap<Bill, Vec<NewItem>> = BTreeMap::new();
    let names: BTreeMap<i64, (String, String)> = w
        .orders
        .services
        .iter()
        .map(|(id, s)| {
            (
                id,
                (
                    w.catalogue.group_name(s.pid),
                    w.catalogue.product_name(s.pid),
                ),
            )
        })
        .collect();
    let wanted = |client: i64, service: Option<i64>| {
        scope.client.is_none_or(|c| c == client)
            && match (scope.services, service) {
                (Some(only), Some(s)) => only.contains(&s),
                (Some(_), None) => false,
                (None, _) => true,
            }
    };
    for (sid, s) in w.orders.services.iter_mut() {
        if !wanted(s.clientid, Some(sid)) {
            continue;
        }
        // A bounded number of terms per run, so a date far in the past cannot loop long.
        for _ in 0..120 {
            if !live(&s.status) || !recurs(&s.billingcycle) || s.nextinvoicedate > horizon {
                break;
            }
            let due = s.nextinvoicedate;
            let end = add_cycle(due, &s.billingcycle);
            let (group, name) = names.get(&sid).cloned().unwrap_or_default();
            let what = if s.domain.is_empty() {
                format!("{group} - {name}")
            } else {
                format!("{group} - {name} - {}", s.domain)
            };
            if s.amount > Decimal::ZERO {
                bills
                    .entry((s.clientid, due, s.paymentmethod.clone()))
                    .or_default()
                    .push(NewItem {
                        kind: "Hosting".into(),
                        relid: sid,
                        description: format!("{what} ({due} - {end})"),
                        amount: amount(s.amount),
                        taxed: false,
                    });
            }
            s.nextinvoicedate = end;
        }
    }
    for (aid, a) in w.orders.addons.iter_mut() {
        if !wanted(a.userid, None) {
            continue;
        }
        for _ in 0..120 {
            if !live(&a.status) || !recurs(&a.billingcycle) || a.nextinvoicedate > horizon {
                break;
            }
            let due = a.nextinvoicedate;
            let end = add_cycle(due, &a.billingcycle);
            if a.recurring > Decimal::ZERO {
                bills
                    .entry((a.userid, due, a.paymentmethod.clone()))
                    .or_default()
                    .push(NewItem {
                        kind: "Addon".into(),
                        relid: aid,
                        description: format!("{} ({due} - {end})", a.name),
                        amount: amount(a.recurring),
                        taxed: false,
                    });
            }
            a.nextinvoicedate = end;
        }
    }
    for (id, d) in w.orders.domains.iter_mut() {
        if !wanted(d.userid, None) {
            continue;
        }
        for _ in 0..20 {
            if d.status != DomainStatus::Active || d.donotrenew || d.nextinvoicedate > horizon {
                break;
            }
            let due = d.nextinvoicedate;
            let years = d.regperiod.max(1);
            let end = add_years(due, years);
            if d.recurringamount > Decimal::ZERO {
                bills
                    .entry((d.userid, due, d.paymentmethod.clone()))
                    .or_default()
                    .push(NewItem {
                        kind: "Domain".into(),
                        relid: id,
                        description: format!(
                            "Domain Renewal - {} - {years} Year/s ({due} - {end})",
                            d.domain
                        ),
                        amount: amount(d.recurringamount),
                        taxed: false,
                    });
            }
            d.nextinvoicedate = end;
        }
    }
    bills
        .into_iter()
        .map(|((client, due, gateway), items)| raise_invoice(w, client, items, due, &gateway))
        .collect()
}

fn gen_invoices(w: &mut State, r: GenInvoices) -> Result<GenInvoicesResponse, GenInvoicesError> {
    if let Some(c) = r.clientid
        && !w.clients.clients.contains(c)
    {
        return Err(GenInvoicesError::ClientIdNotFound);
    }
    let only_services =
        !r.serviceids.is_empty() || !r.domainids.is_empty() || !r.addonids.is_empty();
    let scope = Scope {
        client: r.clientid,
        services: only_services.then_some(r.serviceids.as_slice()),
    };
    let mut created = raise_invoices(w, &scope);
    let invoiced: Vec<i64> = created
        .iter()
        .filter_map(|id| w.billing.invoices.get(*id).map(|i| i.userid))
        .collect();
    created.extend(generate_invoices(w, &scope, &invoiced));
    if !r.noemails.unwrap_or(false) {
        for id in &created {
            // The template WHMCS sends here is unverified against the reference.
            super::mail::send_template(w, "Invoice Created", *id);
        }
    }
    Ok(GenInvoicesResponse {
        numcreated: Some(created.len() as i64),
        latestinvoiceid: r.clientid.and(created.last().copied()),
        ..Default::default()
    })
}

/// Whether service `sid` has an unpaid invoice line.
fn owes(w: &State, kind: &str, relid: i64) -> bool {
    w.billing.invoices.iter().any(|(_, i)| {
        i.status == InvoiceStatus::Unpaid
            && i.items
                .iter()
                .any(|it| it.kind == kind && it.relid == relid)
    })
}

/// Suspends (and, when on, terminates) services left unpaid past their due date.
fn suspend_overdue(w: &mut State) {
    let today = w.today();
    let a = w.automation.clone();
    let exempt = |s: &services::Service| {
        s.overideautosuspend && s.overidesuspenduntil.is_none_or(|until| until >= today)
    };
    let mut suspend = Vec::new();
    let mut terminate = Vec::new();
    for (sid, s) in w.orders.services.iter() {
        if !recurs(&s.billingcycle) || exempt(s) || !owes(w, "Hosting", sid) {
            continue;
        }
        let late = super::dates::days_between(s.nextduedate, today);
        if a.terminate
            && late >= a.terminate_days.max(0)
            && matches!(s.status, ServiceStatus::Active | ServiceStatus::Suspended)
        {
            terminate.push(sid);
        } else if a.suspend && late >= a.suspend_days.max(0) && s.status == ServiceStatus::Active {
            suspend.push(sid);
        }
    }
    for sid in suspend {
        match services::automate(w, sid, Command::Suspend) {
            Ok(()) | Err(Failure::NoModule) => {
                if let Some(s) = w.orders.services.get_mut(sid) {
                    s.status = ServiceStatus::Suspended;
                    s.suspendreason = OVERDUE.into();
                    let client = s.clientid;
                    w.log(
                        client,
                        format!("Service Suspended - {OVERDUE} - Service ID: {sid}"),
                    );
                }
            }
            Err(_) => {}
        }
    }
    for sid in terminate {
        match services::automate(w, sid, Command::Terminate) {
            Ok(()) | Err(Failure::NoModule) => {
                if let Some(s) = w.orders.services.get_mut(sid) {
                    s.status = ServiceStatus::Terminated;
                    s.terminationdate = Some(today);
                    let client = s.clientid;
                    w.log(
                        client,
                        format!("Service Terminated - Overdue - Service ID: {sid}"),
                    );
                }
            }
            Err(_) => {}
        }
    }
}

/// What the registry says about each domain today: transfers complete, expiries lapse.
fn domain_sync(w: &mut State) {
    let today = w.today();
    let periods: BTreeMap<i64, (i64, i64)> = w
        .orders
        .domains
        .iter()
        .map(|(id, d)| {
            let p = w.catalogue.tld_of(&d.domain).map_or((0, 0), |(_, t)| {
                (
                    if t.grace_period_fee >= Decimal::ZERO {
                        t.grace_period_days.max(0)
                    } else {
                        0
                    },
                    if t.redemption_period_fee >= Decimal::ZERO {
                        t.redemption_period_days.max(0)
                    } else {
                        0
                    },
                )
            });
            (id, p)
        })
        .collect();
    let mut logs = Vec::new();
    for (id, d) in w.orders.domains.iter_mut() {
        if d.status == DomainStatus::PendingTransfer {
            d.status = DomainStatus::Active;
            let from = d.expirydate.filter(|e| *e > today).unwrap_or(today);
            d.expirydate = Some(add_years(from, 1));
            logs.push((
                d.userid,
                format!("Domain Transfer Completed - Domain ID: {id}"),
            ));
            continue;
        }
        let Some(expiry) = d.expirydate else {
            continue;
        };
        if !domains::registered(&d.status) || expiry >= today {
            continue;
        }
        let (grace, redemption) = periods.get(&id).copied().unwrap_or((0, 0));
        let late = super::dates::days_between(expiry, today);
        let status = if late <= grace {
            DomainStatus::Grace
        } else if late <= grace.saturating_add(redemption) {
            DomainStatus::Redemption
        } else {
            DomainStatus::Expired
        };
        if d.status != status {
            logs.push((
                d.userid,
                format!("Domain Status set to {status} - Domain ID: {id}"),
            ));
            d.status = status;
        }
    }
    for (client, text) in logs {
        w.log(client, text);
    }
}
