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
use whmcs_api::actions::{DomainStatus, InvoiceStatus, ServiceStatus};
use whmcs_api::{Date, DateTime, Decimal};

use super::State;
use super::billing::NewItem;
use super::dates::{add_cycle, add_days, add_years, recurs};
use super::domains;
use super::orders::Orders;
use super::products::amount;
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
    super::billing::billable::generate_invoices(w, &all, &invoiced);
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

/// What paying invoice `id` does to the items it bills; a second call does nothing. This is
/// the hook billing's payment function can call the moment an invoice becomes Paid; until it
/// does, the daily cron settles paid invoices.
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

/// Which records one invoice run may bill.
#[derive(Default)]
pub(crate) struct Scope<'a> {
    /// Only this client.
    pub(crate) client: Option<i64>,
    /// Only these services (and then no addons, domains or billable items).
    pub(crate) services: Option<&'a [i64]>,
}

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
        .map(|((client, due, gateway), items)| {
            super::billing::raise_invoice(w, client, items, due, &gateway)
        })
        .collect()
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
