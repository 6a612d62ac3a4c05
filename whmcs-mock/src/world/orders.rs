//! Orders and what they hold: the services, service addons and domains a client buys, the
//! renewals ordered early, and the order's invoice. An order starts Pending; AcceptOrder makes it
//! Active, CancelOrder (from Pending only) Cancelled, FraudOrder Fraud, PendingOrder Pending
//! again, and DeleteOrder erases a Cancelled or Fraud order with everything it created.
//! UpgradeProduct places an upgrade order for a service, carried out once its invoice is paid.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use whmcs_api::actions::orders::{get_order_statuses, get_orders};
use whmcs_api::actions::{
    AcceptOrder, AcceptOrderError, AcceptOrderResponse, AddOrder, AddOrderError, AddOrderResponse,
    BillingCycle, CancelOrder, CancelOrderError, CancelOrderResponse, ClientStatus, DeleteOrder,
    DeleteOrderError, DeleteOrderResponse, DomainStatus, FraudOrder, FraudOrderError,
    FraudOrderResponse, GetOrderStatuses, GetOrderStatusesError, GetOrderStatusesResponse,
    GetOrders, GetOrdersError, GetOrdersResponse, InvoiceStatus, OrderFraudCheck,
    OrderFraudCheckError, OrderFraudCheckResponse, OrderStatus, PendingOrder, PendingOrderError,
    PendingOrderResponse, ServiceStatus, UpgradeProduct, UpgradeProductError,
    UpgradeProductResponse,
};
use whmcs_api::{DateTime, Decimal};

use super::billing::NewItem;
use super::dates::{add_cycle, add_months, add_years, days_between, months, parse_cycle, recurs};
use super::domains::{self, Domain};
use super::fields;
use super::products::{Promotion, amount, times};
use super::registry::Registry;
use super::services::{self, Cancellation, Command, Service, ServiceAddon, Upgrade};
use super::{State, Table, money, page};

/// The tables of what clients ordered.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct Orders {
    pub(crate) orders: Table<Order>,
    pub(crate) services: Table<Service>,
    /// Addons attached to services (WHMCS's `tblhostingaddons`).
    pub(crate) addons: Table<ServiceAddon>,
    pub(crate) domains: Table<Domain>,
    pub(crate) cancellations: Table<Cancellation>,
    pub(crate) upgrades: Table<Upgrade>,
    /// Paid invoices whose effects (due dates moved, renewals, upgrades) have been applied.
    pub(crate) settled: BTreeSet<i64>,
}

/// An order.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Order {
    pub(crate) userid: i64,
    pub(crate) status: OrderStatus,
    pub(crate) date: DateTime,
    #[serde(default)]
    pub(crate) amount: Decimal,
    #[serde(default)]
    pub(crate) paymentmethod: String,
    /// The invoice raised for it (0 when none was).
    #[serde(default)]
    pub(crate) invoiceid: i64,
    #[serde(default)]
    pub(crate) promocode: String,
    #[serde(default)]
    pub(crate) promotype: String,
    #[serde(default)]
    pub(crate) promovalue: String,
    #[serde(default)]
    pub(crate) ipaddress: String,
    /// Nameservers asked for the order's domains.
    #[serde(default)]
    pub(crate) nameservers: Vec<String>,
    #[serde(default)]
    pub(crate) contactid: i64,
    /// The user who placed it.
    #[serde(default)]
    pub(crate) requestor_id: i64,
    #[serde(default)]
    pub(crate) notes: String,
    #[serde(default)]
    pub(crate) fraudmodule: String,
    #[serde(default)]
    pub(crate) fraudoutput: String,
    /// Items renewed early by this order.
    #[serde(default)]
    pub(crate) renewals: Renewals,
}

/// Items an order renews early.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct Renewals {
    pub(crate) services: Vec<i64>,
    pub(crate) addons: Vec<i64>,
    pub(crate) domains: Vec<i64>,
}

impl Orders {
    /// A fresh installation: no orders.
    pub(crate) fn fresh() -> Self {
        Self::default()
    }

    /// Whether record `id` of a kind these tables keep exists.
    pub(crate) fn exists(&self, entity: &str, id: i64) -> Option<bool> {
        match entity {
            "order" => Some(self.orders.contains(id)),
            "service" => Some(self.services.contains(id)),
            "service_addon" => Some(self.addons.contains(id)),
            "domain" => Some(self.domains.contains(id)),
            "cancellation" => Some(self.cancellations.contains(id)),
            "upgrade" => Some(self.upgrades.contains(id)),
            _ => None,
        }
    }

    /// Forgets everything a deleted client had.
    pub(crate) fn forget_client(&mut self, client: i64) {
        let services: BTreeSet<i64> = self
            .services
            .iter()
            .filter(|(_, s)| s.clientid == client)
            .map(|(id, _)| id)
            .collect();
        self.services.retain(|_, s| s.clientid != client);
        self.addons
            .retain(|_, a| a.userid != client && !services.contains(&a.serviceid));
        self.domains.retain(|_, d| d.userid != client);
        self.cancellations
            .retain(|_, c| !services.contains(&c.serviceid));
        self.upgrades
            .retain(|_, u| !services.contains(&u.serviceid));
        self.orders.retain(|_, o| o.userid != client);
    }

    /// A closed client's services, addons and domains are cancelled.
    pub(crate) fn close_client(&mut self, client: i64) {
        for (_, s) in self.services.iter_mut() {
            if s.clientid == client && s.status != ServiceStatus::Terminated {
                s.status = ServiceStatus::Cancelled;
            }
        }
        for (_, a) in self.addons.iter_mut() {
            if a.userid == client && a.status != ServiceStatus::Terminated {
                a.status = ServiceStatus::Cancelled;
            }
        }
        for (_, d) in self.domains.iter_mut() {
            if d.userid == client
                && !matches!(
                    d.status,
                    DomainStatus::TransferredAway | DomainStatus::Expired
                )
            {
                d.status = DomainStatus::Cancelled;
            }
        }
    }
}

/// Registers the order actions.
pub(crate) fn register(r: &mut Registry) {
    r.on::<AddOrder>(add_order);
    r.on::<UpgradeProduct>(upgrade_product);
    r.on::<AcceptOrder>(accept_order);
    r.on::<PendingOrder>(pending_order);
    r.on::<CancelOrder>(cancel_order);
    r.on::<FraudOrder>(fraud_order);
    r.on::<DeleteOrder>(delete_order);
    r.read::<GetOrders>(get_orders);
    r.read::<GetOrderStatuses>(get_order_statuses);
    r.on::<OrderFraudCheck>(order_fraud_check);
}

/// A service AddOrder will create.
struct NewService {
    pid: i64,
    name: String,
    group: String,
    cycle: BillingCycle,
    qty: i64,
    domain: String,
    /// The price of one cycle, all units.
    price: Decimal,
    setup: Decimal,
    /// Addon definitions ordered with it, with their quantities.
    addons: Vec<(i64, i64)>,
    /// Its custom field values and configurable option choices (`fields.rs`).
    customfields: BTreeMap<i64, String>,
    configoptions: BTreeMap<String, i64>,
}

/// A domain AddOrder will create.
struct NewDomain {
    name: String,
    transfer: bool,
    years: i64,
    price: Decimal,
    renew: Decimal,
    registrar: String,
    dns: bool,
    email: bool,
    idprotect: bool,
    eppcode: String,
    idnlanguage: String,
}

/// Addon definitions from AddOrder's comma-joined list, with their quantities; `Err` when one
/// is not a known addon (or not offered with `pid`).
fn addon_list(
    w: &State,
    ids: Option<&String>,
    qtys: Option<&String>,
    pid: Option<i64>,
) -> Result<Vec<(i64, i64)>, AddOrderError> {
    let Some(ids) = ids.filter(|s| !s.trim().is_empty()) else {
        return Ok(Vec::new());
    };
    let qtys: Vec<i64> = qtys
        .map(|q| {
            q.split(',')
                .map(|n| n.trim().parse().unwrap_or(1))
                .collect()
        })
        .unwrap_or_default();
    ids.split(',')
        .enumerate()
        .map(|(i, id)| {
            let id: i64 = id
                .trim()
                .parse()
                .map_err(|_| AddOrderError::AddonIdInvalid)?;
            let def = w
                .catalogue
                .addons
                .get(id)
                .ok_or(AddOrderError::AddonIdInvalid)?;
            if let Some(pid) = pid
                && !def.packages.is_empty()
                && !def.packages.contains(&pid)
            {
                return Err(AddOrderError::AddonIdInvalid);
            }
            Ok((id, qtys.get(i).copied().filter(|q| *q > 0).unwrap_or(1)))
        })
        .collect()
}

/// Whether `client` may use promotion `p` today.
fn promotion_usable(w: &State, p: &Promotion, client: i64) -> bool {
    let today = w.today();
    let client_orders = || w.orders.orders.iter().filter(|(_, o)| o.userid == client);
    p.startdate.is_none_or(|d| d <= today)
        && p.expirationdate.is_none_or(|d| d >= today)
        && (p.maxuses <= 0 || p.uses < p.maxuses)
        && (!p.newsignups || client_orders().next().is_none())
        && (!p.onceperclient
            || !client_orders().any(|(_, o)| o.promocode.eq_ignore_ascii_case(&p.code)))
        && (!p.existingclient || client_orders().any(|(_, o)| o.status == OrderStatus::Active))
}

/// The discount promotion `p` gives on a first payment of `price` plus `setup`, and the
/// recurring price it leaves.
fn discount(p: &Promotion, price: Decimal, setup: Decimal) -> (Decimal, Decimal) {
    let off = match p.kind.as_str() {
        "Percentage" => amount(price.saturating_mul(p.value) / Decimal::ONE_HUNDRED),
        "Fixed Amount" => amount(p.value),
        "Price Override" => amount(price.saturating_sub(p.value)),
        "Free Setup" => setup,
        _ => Decimal::ZERO,
    }
    .clamp(Decimal::ZERO, price + setup);
    let recurring = if p.recurring && p.kind != "Free Setup" {
        (price - off).max(Decimal::ZERO)
    } else {
        price
    };
    (off, recurring)
}

/// How a promotion is described on the invoice and the order.
fn promo_words(p: &Promotion) -> String {
    let value = match p.kind.as_str() {
        "Percentage" => format!("{}%", p.value.normalize()),
        _ => format!("${}", money(p.value)),
    };
    let when = if p.recurring { "Recurring" } else { "One Time" };
    format!("{value} {when} Discount")
}

/// AddOrder: checks every item first (client, gateway, products, addons, ownership of what is
/// renewed), then creates the Pending order with its services, addons and domains, applies a
/// usable promotion, and raises one invoice for everything (unless `noinvoice`, or nothing is
/// owed).
fn add_order(w: &mut State, r: AddOrder) -> Result<AddOrderResponse, AddOrderError> {
    let client = w
        .clients
        .clients
        .get(r.clientid)
        .ok_or(AddOrderError::ClientIdNotFound)?;
    if client.status == ClientStatus::Closed {
        return Err(AddOrderError::ClientClosed);
    }
    let requestor = client.owner_user_id;
    let gateways = w.modules.active_names("gateway");
    let gateway = gateways
        .iter()
        .find(|g| g.eq_ignore_ascii_case(r.paymentmethod.trim()))
        .cloned()
        .ok_or_else(|| AddOrderError::InvalidPaymentMethod {
            options: gateways.join(","),
        })?;
    let today = w.today();

    // Everything is checked before anything is written, so a refused order leaves no trace.
    let mut new_services = Vec::new();
    for (i, pid) in r.pid.iter().copied().enumerate() {
        let Some(product) = w.catalogue.products.get(pid) else {
            continue;
        };
        let cycle = product.cycle_for(r.billingcycle.get(i).and_then(|c| parse_cycle(c)));
        let qty = r.qty.get(i).copied().filter(|q| *q > 0).unwrap_or(1);
        let (unit, setup) = match r.priceoverride.get(i) {
            Some(price) => (amount(*price), Decimal::ZERO),
            None => (
                product.price(&cycle).unwrap_or_default(),
                product.setup_fee(&cycle),
            ),
        };
        new_services.push(NewService {
            pid,
            name: product.name.clone(),
            group: w.catalogue.group_name(pid),
            cycle,
            qty,
            domain: r
                .domain
                .get(i)
                .map(|d| d.trim().to_string())
                .unwrap_or_default(),
            price: times(unit, qty),
            setup: times(setup, qty),
            addons: addon_list(w, r.addons.get(i), r.addonsqty.get(i), Some(pid))?,
            // The i-th entries belong to the i-th product. Whether WHMCS insists on required
            // product fields here is unverified: the mock does not.
            customfields: fields::custom_values(
                &w.catalogue.customfields,
                Some(pid),
                r.customfields.get(i),
            ),
            configoptions: fields::option_values(
                &w.catalogue.configoptions,
                pid,
                r.configoptions.get(i),
            ),
        });
    }
    let mut new_domains = Vec::new();
    for (i, name) in r.domain.iter().enumerate() {
        let Some(kind) = r.domaintype.get(i) else {
            continue;
        };
        let name = name.trim().to_lowercase();
        let transfer = kind.as_str() == "transfer";
        let Some(tld) = w.catalogue.tld_of(&name).map(|(_, t)| t) else {
            continue;
        };
        let years = r
            .regperiod
            .get(i)
            .copied()
            .filter(|y| (1..=10).contains(y))
            .unwrap_or(1);
        let listed = if transfer {
            tld.transfer_price()
        } else {
            tld.register_price(years)
        };
        let Some(price) = r.domainpriceoverride.get(i).copied().or(listed).map(amount) else {
            continue;
        };
        new_domains.push(NewDomain {
            transfer,
            years,
            price,
            renew: r
                .domainrenewoverride
                .get(i)
                .copied()
                .or_else(|| tld.renew_price(years))
                .map_or(price, amount),
            registrar: tld.auto_registrar.clone(),
            dns: r.dnsmanagement.get(i).copied().unwrap_or(false),
            email: r.emailforwarding.get(i).copied().unwrap_or(false),
            idprotect: r.idprotection.get(i).copied().unwrap_or(false),
            eppcode: r
                .eppcode
                .get(i)
                .map(|e| e.expose().to_string())
                .unwrap_or_default(),
            idnlanguage: r.idnlanguage.get(i).cloned().unwrap_or_default(),
            name,
        });
    }
    // Addons for services the client already has.
    let mut addon_only: Vec<(i64, i64, i64)> = Vec::new();
    let mut pairs: Vec<(i64, i64, i64)> = Vec::new();
    if let Some(addon) = r.addonid {
        pairs.push((addon, r.serviceid.unwrap_or(0), r.addonidqty.unwrap_or(1)));
    }
    for (i, addon) in r.addonids.iter().enumerate() {
        pairs.push((
            *addon,
            r.serviceids.get(i).copied().unwrap_or(0),
            r.addonidsqty.get(i).copied().unwrap_or(1),
        ));
    }
    for (addon, sid, qty) in pairs {
        let service = w
            .orders
            .services
            .get(sid)
            .filter(|s| s.clientid == r.clientid)
            .ok_or(AddOrderError::ServiceNotOwnedByClient)?;
        let listed = addon_list(w, Some(&addon.to_string()), None, Some(service.pid))?;
        if listed.is_empty() {
            return Err(AddOrderError::AddonIdInvalid);
        }
        addon_only.push((addon, sid, qty.max(1)));
    }
    let live = |s: &ServiceStatus| matches!(s, ServiceStatus::Active | ServiceStatus::Suspended);
    for sid in &r.servicerenewals {
        let s = w
            .orders
            .services
            .get(*sid)
            .filter(|s| s.clientid == r.clientid)
            .ok_or(AddOrderError::ServiceNotOwnedByClient)?;
        if !live(&s.status) || !recurs(&s.billingcycle) {
            return Err(AddOrderError::ServiceCannotBeRenewed {
                service: sid.to_string(),
            });
        }
    }
    for aid in &r.addonrenewals {
        let a = w
            .orders
            .addons
            .get(*aid)
            .filter(|a| a.userid == r.clientid)
            .ok_or(AddOrderError::AddonIdInvalid)?;
        if !live(&a.status) || !recurs(&a.billingcycle) {
            return Err(AddOrderError::AddonIdInvalid);
        }
    }
    let mut domain_renewals: Vec<(i64, i64)> = Vec::new();
    for (name, years) in &r.domainrenewals {
        let (id, d) = w
            .orders
            .domains
            .iter()
            .find(|(_, d)| d.userid == r.clientid && d.domain.eq_ignore_ascii_case(name.trim()))
            .ok_or(AddOrderError::DomainNotOwnedByClient)?;
        if matches!(
            d.status,
            DomainStatus::Pending
                | DomainStatus::Cancelled
                | DomainStatus::PendingTransfer
                | DomainStatus::TransferredAway
                | DomainStatus::Fraud
        ) {
            return Err(AddOrderError::DomainCannotBeRenewed {
                status: d.status.to_string(),
            });
        }
        domain_renewals.push((id, (*years).clamp(1, 10)));
    }
    if new_services.is_empty()
        && new_domains.is_empty()
        && addon_only.is_empty()
        && r.servicerenewals.is_empty()
        && r.addonrenewals.is_empty()
        && domain_renewals.is_empty()
    {
        return Err(AddOrderError::NoItemsAdded);
    }
    let promotion = r
        .promocode
        .as_deref()
        .filter(|c| !c.trim().is_empty())
        .and_then(|c| w.catalogue.promotion(c.trim()))
        .filter(|(_, p)| promotion_usable(w, p, r.clientid))
        .map(|(id, p)| (id, p.clone()));

    let now = w.now;
    let nameservers: Vec<String> = [
        &r.nameserver1,
        &r.nameserver2,
        &r.nameserver3,
        &r.nameserver4,
        &r.nameserver5,
    ]
    .into_iter()
    .filter_map(|n| n.clone().filter(|n| !n.trim().is_empty()))
    .collect();
    let orderid = w.orders.orders.insert(Order {
        userid: r.clientid,
        status: OrderStatus::Pending,
        date: now,
        amount: Decimal::ZERO,
        paymentmethod: gateway.clone(),
        invoiceid: 0,
        promocode: String::new(),
        promotype: String::new(),
        promovalue: String::new(),
        ipaddress: r.clientip.clone().unwrap_or_default(),
        nameservers: nameservers.clone(),
        contactid: r.contactid.unwrap_or(0),
        requestor_id: requestor,
        notes: String::new(),
        fraudmodule: String::new(),
        fraudoutput: String::new(),
        renewals: Renewals {
            services: r.servicerenewals.clone(),
            addons: r.addonrenewals.clone(),
            domains: domain_renewals.iter().map(|(id, _)| *id).collect(),
        },
    });
    let mut items: Vec<NewItem> = Vec::new();
    let mut line = |kind: &str, relid: i64, description: String, amount: Decimal| {
        items.push(NewItem {
            kind: kind.into(),
            relid,
            description,
            amount: money(amount),
            taxed: false,
        });
    };
    let mut serviceids = Vec::new();
    let mut addonids = Vec::new();
    let mut domainids = Vec::new();
    let mut promo_used = false;
    for s in new_services {
        let eligible = promotion.as_ref().filter(|(_, p)| {
            (r.promooverride.unwrap_or(false) || p.appliesto.contains(&s.pid))
                && (p.cycles.is_empty()
                    || p.cycles
                        .iter()
                        .any(|c| parse_cycle(c).as_ref() == Some(&s.cycle)))
                && !(p.applyonce && promo_used)
        });
        let (off, recurring) = eligible.map_or((Decimal::ZERO, s.price), |(_, p)| {
            discount(p, s.price, s.setup)
        });
        let end = add_cycle(today, &s.cycle);
        let sid = w.orders.services.insert(Service {
            clientid: r.clientid,
            orderid,
            pid: s.pid,
            domain: s.domain.clone(),
            billingcycle: s.cycle.clone(),
            status: ServiceStatus::Pending,
            regdate: today,
            nextduedate: today,
            nextinvoicedate: today,
            firstpaymentamount: money(s.price + s.setup - off),
            amount: money(recurring),
            paymentmethod: gateway.clone(),
            qty: s.qty,
            promoid: eligible.map_or(0, |(id, _)| *id),
            customfields: s.customfields.clone(),
            configoptions: s.configoptions.clone(),
            ..Service::blank(today)
        });
        let what = if s.domain.is_empty() {
            format!("{} - {}", s.group, s.name)
        } else {
            format!("{} - {} - {}", s.group, s.name, s.domain)
        };
        let period = if recurs(&s.cycle) {
            format!(" ({today} - {end})")
        } else {
            String::new()
        };
        line("Hosting", sid, format!("{what}{period}"), s.price + s.setup);
        if let Some((_, p)) = eligible
            && off > Decimal::ZERO
        {
            promo_used = true;
            line(
                "PromoHosting",
                sid,
                format!("Promotional Code: {} - {}", p.code, promo_words(p)),
                -off,
            );
        }
        for (def, qty) in s.addons {
            let aid = services::new_addon(w, def, sid, qty, orderid, &gateway);
            if let Some((description, amount)) = services::addon_line(w, aid) {
                line("Addon", aid, description, amount);
            }
            addonids.push(aid);
        }
        serviceids.push(sid);
    }
    for (def, sid, qty) in addon_only {
        let aid = services::new_addon(w, def, sid, qty, orderid, &gateway);
        if let Some((description, amount)) = services::addon_line(w, aid) {
            line("Addon", aid, description, amount);
        }
        addonids.push(aid);
    }
    for d in new_domains {
        let id = w.orders.domains.insert(Domain {
            userid: r.clientid,
            orderid,
            regtype: if d.transfer { "Transfer" } else { "Register" }.into(),
            domain: d.name.clone(),
            registrar: d.registrar,
            regperiod: d.years,
            firstpaymentamount: money(d.price),
            recurringamount: money(d.renew),
            paymentmethod: gateway.clone(),
            regdate: today,
            expirydate: None,
            nextduedate: today,
            nextinvoicedate: today,
            status: DomainStatus::Pending,
            dnsmanagement: d.dns,
            emailforwarding: d.email,
            idprotection: d.idprotect,
            nameservers: if nameservers.is_empty() {
                domains::default_nameservers()
            } else {
                nameservers.clone()
            },
            eppcode: d.eppcode,
            idnlanguage: d.idnlanguage,
            ..Domain::blank(today)
        });
        let (kind, words) = if d.transfer {
            ("DomainTransfer", "Domain Transfer")
        } else {
            ("DomainRegister", "Domain Registration")
        };
        let end = add_years(today, d.years);
        line(
            kind,
            id,
            format!(
                "{words} - {} - {} Year/s ({today} - {end})",
                d.name, d.years
            ),
            d.price,
        );
        domainids.push(id);
    }
    for sid in &r.servicerenewals {
        if let Some(s) = w.orders.services.get_mut(*sid) {
            let end = add_cycle(s.nextduedate, &s.billingcycle);
            s.nextinvoicedate = s.nextinvoicedate.max(end);
            let description = format!("Renewal - {} ({} - {end})", s.domain, s.nextduedate);
            let amount = s.amount;
            line("Hosting", *sid, description, amount);
        }
    }
    for aid in &r.addonrenewals {
        if let Some(a) = w.orders.addons.get_mut(*aid) {
            let end = add_cycle(a.nextduedate, &a.billingcycle);
            a.nextinvoicedate = a.nextinvoicedate.max(end);
            let description = format!("Addon Renewal - {} ({} - {end})", a.name, a.nextduedate);
            let amount = a.recurring;
            line("Addon", *aid, description, amount);
        }
    }
    for (id, years) in &domain_renewals {
        let tld_price = w
            .orders
            .domains
            .get(*id)
            .and_then(|d| w.catalogue.tld_of(&d.domain))
            .and_then(|(_, t)| t.renew_price(*years));
        if let Some(d) = w.orders.domains.get_mut(*id) {
            d.regperiod = *years;
            let amount = tld_price.map_or_else(|| times(d.recurringamount, *years), amount);
            let end = add_years(d.nextduedate, *years);
            d.nextinvoicedate = d.nextinvoicedate.max(end);
            let description = format!(
                "Domain Renewal - {} - {years} Year/s ({} - {end})",
                d.domain, d.nextduedate
            );
            line("Domain", *id, description, amount);
            domainids.push(*id);
        }
    }
    let total: Decimal = items.iter().map(|i| i.amount).sum();
    let invoiceid = if r.noinvoice.unwrap_or(false) || total <= Decimal::ZERO {
        None
    } else {
        Some(super::billing::raise_invoice(
            w, r.clientid, items, today, &gateway,
        ))
    };
    if invoiceid.is_some() {
        // The order's invoice bills the first term: the next one is due a term later.
        for sid in &serviceids {
            if let Some(s) = w.orders.services.get_mut(*sid) {
                s.nextinvoicedate = add_cycle(today, &s.billingcycle);
            }
        }
        for aid in &addonids {
            if let Some(a) = w.orders.addons.get_mut(*aid)
                && a.orderid == orderid
            {
                a.nextinvoicedate = add_cycle(today, &a.billingcycle);
            }
        }
        for id in &domainids {
            if let Some(d) = w.orders.domains.get_mut(*id)
                && d.orderid == orderid
            {
                d.nextinvoicedate = add_years(today, d.regperiod);
            }
        }
    }
    if promo_used && let Some((pid, p)) = &promotion {
        if let Some(row) = w.catalogue.promotions.get_mut(*pid) {
            row.uses = row.uses.saturating_add(1);
        }
        if let Some(order) = w.orders.orders.get_mut(orderid) {
            order.promocode = p.code.clone();
            order.promotype = p.kind.clone();
            order.promovalue = p.value.to_string();
        }
    }
    if let Some(order) = w.orders.orders.get_mut(orderid) {
        order.amount = money(total);
        order.invoiceid = invoiceid.unwrap_or(0);
    }
    w.log(r.clientid, format!("Order Placed - Order ID: {orderid}"));
    if !r.noemail.unwrap_or(false) {
        // The template WHMCS sends here is unverified against the reference.
        super::mail::send_template(w, "Order Confirmation", r.clientid);
    }
    if let Some(id) = invoiceid
        && !r.noinvoiceemail.unwrap_or(false)
    {
        // The template WHMCS sends here is unverified against the reference.
        super::mail::send_template(w, "Invoice Created", id);
    }
    Ok(AddOrderResponse {
        orderid,
        serviceids,
        addonids,
        domainids,
        invoiceid,
        ..Default::default()
    })
}

/// UpgradeProduct: prices the change for the rest of the term; unless `calconly`, orders it with
/// an invoice for a positive difference (applied when paid) or applies it at once.
fn upgrade_product(
    w: &mut State,
    r: UpgradeProduct,
) -> Result<UpgradeProductResponse, UpgradeProductError> {
    let s = w
        .orders
        .services
        .get(r.serviceid)
        .cloned()
        .ok_or(UpgradeProductError::ServiceNotFound)?;
    let gateways = w.modules.active_names("gateway");
    let gateway = gateways
        .iter()
        .find(|g| g.eq_ignore_ascii_case(r.paymentmethod.trim()))
        .cloned()
        .ok_or_else(|| UpgradeProductError::InvalidPaymentMethod {
            gateways: gateways.join(","),
        })?;
    let kind = r.upgrade_type.as_str().to_string();
    let (newpid, newcycle, newamount) = match kind.as_str() {
        "product" => {
            let pid = r
                .newproductid
                .ok_or(UpgradeProductError::InvalidUpgradeType)?;
            let product = w
                .catalogue
                .products
                .get(pid)
                .ok_or(UpgradeProductError::InvalidUpgradeType)?;
            let asked = r
                .newproductbillingcycle
                .as_deref()
                .and_then(parse_cycle)
                .unwrap_or_else(|| s.billingcycle.clone());
            let cycle = product.cycle_for(Some(asked));
            let price = product.price(&cycle).unwrap_or_default();
            (pid, cycle, times(price, s.qty.max(1)))
        }
        "configoptions" => (s.pid, s.billingcycle.clone(), s.amount),
        _ => return Err(UpgradeProductError::InvalidUpgradeType),
    };
    let today = w.today();
    let term = months(&s.billingcycle);
    let (days_left, total_days) = if term > 0 {
        let start = add_months(s.nextduedate, -i64::from(term));
        (
            days_between(today, s.nextduedate).max(0),
            days_between(start, s.nextduedate).max(1),
        )
    } else {
        (0, 0)
    };
    let amount = if total_days > 0 {
        amount(
            newamount
                .saturating_sub(s.amount)
                .saturating_mul(Decimal::from(days_left))
                / Decimal::from(total_days),
        )
    } else {
        amount(newamount.saturating_sub(s.amount))
    };
    let in_progress = w.orders.upgrades.iter().any(|(_, u)| {
        u.serviceid == r.serviceid
            && !u.applied
            && w.billing
                .invoices
                .get(u.invoiceid)
                .is_some_and(|i| i.status == InvoiceStatus::Unpaid)
    });
    let mut answer = UpgradeProductResponse {
        oldproductid: Some(s.pid),
        oldproductname: Some(w.catalogue.product_name(s.pid)),
        newproductid: Some(newpid),
        newproductname: Some(w.catalogue.product_name(newpid)),
        daysuntilrenewal: Some(days_left),
        totaldays: Some(total_days),
        newproductbillingcycle: Some(newcycle.as_str().to_ascii_lowercase().replace('-', "")),
        price: Some(format!("${amount} USD")),
        ..Default::default()
    };
    if r.calconly.unwrap_or(false) {
        answer.upgradeinprogress = Some(in_progress);
        return Ok(answer);
    }
    if in_progress {
        return Err(UpgradeProductError::PreviousUpgradeUnpaid);
    }
    let now = w.now;
    let requestor = w
        .clients
        .clients
        .get(s.clientid)
        .map_or(0, |c| c.owner_user_id);
    let orderid = w.orders.orders.insert(Order {
        userid: s.clientid,
        status: OrderStatus::Pending,
        date: now,
        amount: amount.max(Decimal::ZERO),
        paymentmethod: gateway.clone(),
        invoiceid: 0,
        promocode: r.promocode.clone().unwrap_or_default(),
        promotype: String::new(),
        promovalue: String::new(),
        ipaddress: String::new(),
        nameservers: Vec::new(),
        contactid: 0,
        requestor_id: requestor,
        notes: String::new(),
        fraudmodule: String::new(),
        fraudoutput: String::new(),
        renewals: Renewals::default(),
    });
    let id = w.orders.upgrades.insert(Upgrade {
        serviceid: r.serviceid,
        orderid,
        kind: kind.clone(),
        oldpid: s.pid,
        newpid,
        newcycle,
        newamount,
        amount,
        invoiceid: 0,
        configoptions: r.configoptions.clone().into_iter().collect(),
        applied: false,
    });
    let invoiceid = if amount > Decimal::ZERO {
        let description = format!(
            "Upgrade: {} => {} ({today} - {})",
            w.catalogue.product_name(s.pid),
            w.catalogue.product_name(newpid),
            s.nextduedate
        );
        let inv = super::billing::raise_invoice(
            w,
            s.clientid,
            vec![NewItem {
                kind: "Upgrade".into(),
                relid: id,
                description,
                amount,
                taxed: false,
            }],
            today,
            &gateway,
        );
        if let Some(u) = w.orders.upgrades.get_mut(id) {
            u.invoiceid = inv;
        }
        if let Some(o) = w.orders.orders.get_mut(orderid) {
            o.invoiceid = inv;
        }
        Some(inv)
    } else {
        services::apply_upgrade(w, id);
        None
    };
    w.log(
        s.clientid,
        format!("Upgrade Order Placed - Service ID: {}", r.serviceid),
    );
    answer.id = Some(id);
    answer.orderid = Some(orderid);
    answer.order_number = Some(orderid.to_string());
    answer.invoiceid = invoiceid;
    Ok(answer)
}

/// Sets the status of everything an order created.
fn set_items(w: &mut State, orderid: i64, service: ServiceStatus, domain: DomainStatus) {
    for (_, s) in w.orders.services.iter_mut() {
        if s.orderid == orderid {
            s.status = service.clone();
        }
    }
    for (_, a) in w.orders.addons.iter_mut() {
        if a.orderid == orderid {
            a.status = service.clone();
        }
    }
    for (_, d) in w.orders.domains.iter_mut() {
        if d.orderid == orderid {
            d.status = domain.clone();
        }
    }
}

/// Cancels the order's invoice if nothing has been paid on it.
fn cancel_invoice(w: &mut State, invoiceid: i64) {
    if let Some(i) = w.billing.invoices.get_mut(invoiceid)
        && i.status == InvoiceStatus::Unpaid
    {
        i.status = InvoiceStatus::Cancelled;
    }
}

/// AcceptOrder: a Pending order becomes Active with its services (provisioned when set up
/// automatically) and addons; `sendregistrar` registers or transfers its domains.
fn accept_order(w: &mut State, r: AcceptOrder) -> Result<AcceptOrderResponse, AcceptOrderError> {
    let order = w
        .orders
        .orders
        .get(r.orderid)
        .filter(|o| o.status == OrderStatus::Pending)
        .ok_or(AcceptOrderError::OrderNotFoundOrNotPending)?;
    let userid = order.userid;
    if let Some(registrar) = r.registrar.as_deref().filter(|s| !s.is_empty())
        && !w.modules.is_active("registrar", registrar)
    {
        return Err(AcceptOrderError::ServerOrRegistrarResponse);
    }
    if let Some(server) = r.serverid
        && !w.catalogue.servers.contains(server)
    {
        return Err(AcceptOrderError::ServerOrRegistrarResponse);
    }
    let services: Vec<i64> = w
        .orders
        .services
        .iter()
        .filter(|(_, s)| s.orderid == r.orderid && s.status == ServiceStatus::Pending)
        .map(|(id, _)| id)
        .collect();
    for sid in services {
        let Some(s) = w.orders.services.get_mut(sid) else {
            continue;
        };
        if let Some(server) = r.serverid {
            s.serverid = server;
        }
        if let Some(user) = r.serviceusername.clone() {
            s.username = user;
        }
        if let Some(password) = &r.servicepassword {
            s.password = password.expose().to_string();
        }
        let pid = s.pid;
        let setup = r.autosetup.unwrap_or_else(|| {
            w.catalogue
                .products
                .get(pid)
                .is_some_and(|p| p.autosetup == "on")
        });
        if setup && !w.catalogue.module_of(pid).is_empty() {
            // A module that fails leaves the service Pending, with the failure queued.
            let _ = services::automate(w, sid, Command::Create);
        } else if let Some(s) = w.orders.services.get_mut(sid) {
            s.status = ServiceStatus::Active;
        }
    }
    for (_, a) in w.orders.addons.iter_mut() {
        if a.orderid == r.orderid && a.status == ServiceStatus::Pending {
            a.status = ServiceStatus::Active;
        }
    }
    let domain_ids: Vec<i64> = w
        .orders
        .domains
        .iter()
        .filter(|(_, d)| d.orderid == r.orderid && d.status == DomainStatus::Pending)
        .map(|(id, _)| id)
        .collect();
    for id in domain_ids {
        if let Some(registrar) = r.registrar.as_deref().filter(|s| !s.is_empty())
            && let Some(d) = w.orders.domains.get_mut(id)
        {
            d.registrar = registrar.to_string();
        }
        if r.sendregistrar.unwrap_or(false) {
            let transfer = w
                .orders
                .domains
                .get(id)
                .is_some_and(|d| d.regtype == "Transfer");
            let sent = if transfer {
                domains::transfer(w, id, None)
            } else {
                domains::register_domain(w, id)
            };
            sent.map_err(|_| AcceptOrderError::ServerOrRegistrarResponse)?;
        }
    }
    if let Some(o) = w.orders.orders.get_mut(r.orderid) {
        o.status = OrderStatus::Active;
    }
    w.log(userid, format!("Order Accepted - Order ID: {}", r.orderid));
    Ok(AcceptOrderResponse::default())
}

/// PendingOrder: the order and everything it created go back to Pending.
fn pending_order(
    w: &mut State,
    r: PendingOrder,
) -> Result<PendingOrderResponse, PendingOrderError> {
    let o = w
        .orders
        .orders
        .get_mut(r.orderid)
        .ok_or(PendingOrderError::OrderNotFound)?;
    o.status = OrderStatus::Pending;
    let userid = o.userid;
    set_items(w, r.orderid, ServiceStatus::Pending, DomainStatus::Pending);
    w.log(
        userid,
        format!("Order Status set to Pending - Order ID: {}", r.orderid),
    );
    Ok(PendingOrderResponse::default())
}

/// CancelOrder: only a Pending order; it and its items become Cancelled, and so does its unpaid
/// invoice.
fn cancel_order(w: &mut State, r: CancelOrder) -> Result<CancelOrderResponse, CancelOrderError> {
    let o = w
        .orders
        .orders
        .get_mut(r.orderid)
        .filter(|o| o.status == OrderStatus::Pending)
        .ok_or(CancelOrderError::OrderNotFoundOrNotPending)?;
    o.status = OrderStatus::Cancelled;
    let (userid, invoiceid) = (o.userid, o.invoiceid);
    set_items(
        w,
        r.orderid,
        ServiceStatus::Cancelled,
        DomainStatus::Cancelled,
    );
    cancel_invoice(w, invoiceid);
    w.log(userid, format!("Order Cancelled - Order ID: {}", r.orderid));
    Ok(CancelOrderResponse::default())
}

/// FraudOrder: the order and its items become Fraud; its unpaid invoice is cancelled.
fn fraud_order(w: &mut State, r: FraudOrder) -> Result<FraudOrderResponse, FraudOrderError> {
    let o = w
        .orders
        .orders
        .get_mut(r.orderid)
        .ok_or(FraudOrderError::OrderNotFound)?;
    o.status = OrderStatus::Fraud;
    let (userid, invoiceid) = (o.userid, o.invoiceid);
    set_items(w, r.orderid, ServiceStatus::Fraud, DomainStatus::Fraud);
    cancel_invoice(w, invoiceid);
    w.log(
        userid,
        format!("Order Status set to Fraud - Order ID: {}", r.orderid),
    );
    Ok(FraudOrderResponse::default())
}

/// DeleteOrder: only a Cancelled or Fraud order; it goes with its services, addons, domains and
/// invoice.
fn delete_order(w: &mut State, r: DeleteOrder) -> Result<DeleteOrderResponse, DeleteOrderError> {
    let o = w
        .orders
        .orders
        .get(r.orderid)
        .ok_or(DeleteOrderError::OrderNotFound)?;
    if !matches!(o.status, OrderStatus::Cancelled | OrderStatus::Fraud) {
        return Err(DeleteOrderError::OrderNotCancelledOrFraud);
    }
    let (userid, invoiceid) = (o.userid, o.invoiceid);
    let services: BTreeSet<i64> = w
        .orders
        .services
        .iter()
        .filter(|(_, s)| s.orderid == r.orderid)
        .map(|(id, _)| id)
        .collect();
    let orders = &mut w.orders;
    orders.services.retain(|id, _| !services.contains(&id));
    orders
        .addons
        .retain(|_, a| a.orderid != r.orderid && !services.contains(&a.serviceid));
    orders.domains.retain(|_, d| d.orderid != r.orderid);
    orders
        .cancellations
        .retain(|_, c| !services.contains(&c.serviceid));
    orders
        .upgrades
        .retain(|_, u| u.orderid != r.orderid && !services.contains(&u.serviceid));
    orders.orders.remove(r.orderid);
    if invoiceid != 0 {
        w.billing.invoices.remove(invoiceid);
    }
    w.log(userid, format!("Deleted Order - Order ID: {}", r.orderid));
    Ok(DeleteOrderResponse::default())
}

/// The lines of an order: its services, addons and domains.
fn line_items(w: &State, orderid: i64) -> Vec<get_orders::OrderLineItem> {
    let mut items: Vec<get_orders::OrderLineItem> = w
        .orders
        .services
        .iter()
        .filter(|(_, s)| s.orderid == orderid)
        .map(|(sid, s)| get_orders::OrderLineItem {
            item_type: Some("product".into()),
            relid: Some(sid),
            producttype: Some(services::product_type_label(w, s.pid)),
            product: Some(w.catalogue.product_name(s.pid)),
            domain: Some(s.domain.clone()),
            billingcycle: Some(s.billingcycle.clone()),
            amount: Some(s.firstpaymentamount),
            status: Some(s.status.clone()),
            ..Default::default()
        })
        .collect();
    items.extend(
        w.orders
            .addons
            .iter()
            .filter(|(_, a)| a.orderid == orderid)
            .map(|(aid, a)| get_orders::OrderLineItem {
                item_type: Some("addon".into()),
                relid: Some(aid),
                producttype: Some("Addon".into()),
                product: Some(a.name.clone()),
                domain: Some(
                    w.orders
                        .services
                        .get(a.serviceid)
                        .map(|s| s.domain.clone())
                        .unwrap_or_default(),
                ),
                billingcycle: Some(a.billingcycle.clone()),
                amount: Some(a.setupfee + a.recurring),
                status: Some(a.status.clone()),
                ..Default::default()
            }),
    );
    items.extend(
        w.orders
            .domains
            .iter()
            .filter(|(_, d)| d.orderid == orderid)
            .map(|(id, d)| {
                let kind = if d.regtype == "Transfer" {
                    "Domain Transfer"
                } else {
                    "Domain Registration"
                };
                get_orders::OrderLineItem {
                    item_type: Some("domain".into()),
                    relid: Some(id),
                    producttype: Some(kind.into()),
                    product: Some(kind.into()),
                    domain: Some(d.domain.clone()),
                    billingcycle: Some(BillingCycle::Other(format!("{} Year/s", d.regperiod))),
                    amount: Some(d.firstpaymentamount),
                    status: Some(ServiceStatus::Other(d.status.to_string())),
                    ..Default::default()
                }
            }),
    );
    items
}

/// GetOrders: newest first, filtered by id, client, requestor and status, a page at a time.
fn get_orders(w: &State, r: GetOrders) -> Result<GetOrdersResponse, GetOrdersError> {
    let rows: Vec<get_orders::Order> = w
        .orders
        .orders
        .iter()
        .rev()
        .filter(|(id, o)| {
            r.id.is_none_or(|i| i == *id)
                && r.userid.is_none_or(|u| u == o.userid)
                && r.requestor_id.is_none_or(|u| u == o.requestor_id)
                && r.status.as_ref().is_none_or(|s| *s == o.status)
        })
        .map(|(id, o)| get_orders::Order {
            id: Some(id),
            ordernum: Some(id),
            userid: Some(o.userid),
            contactid: Some(o.contactid),
            requestor_id: Some(o.requestor_id),
            admin_requestor_id: Some(0),
            date: Some(o.date),
            nameservers: Some(o.nameservers.join(",")),
            renewals: Some(String::new()),
            promocode: Some(o.promocode.clone()),
            promotype: Some(o.promotype.clone()),
            promovalue: Some(o.promovalue.clone()),
            amount: Some(o.amount),
            paymentmethod: Some(o.paymentmethod.clone()),
            paymentmethodname: Some(w.modules.gateway_name(&o.paymentmethod)),
            invoiceid: Some(o.invoiceid),
            status: Some(o.status.clone()),
            ipaddress: Some(o.ipaddress.clone()),
            fraudmodule: Some(o.fraudmodule.clone()),
            fraudoutput: Some(o.fraudoutput.clone()),
            notes: Some(o.notes.clone()),
            paymentstatus: w
                .billing
                .invoices
                .get(o.invoiceid)
                .map(|i| i.status.clone()),
            name: w.clients.clients.get(o.userid).map(|c| c.fullname()),
            currencyprefix: Some("$".into()),
            currencysuffix: Some(" USD".into()),
            lineitems: line_items(w, id),
            ..Default::default()
        })
        .collect();
    let (total, start, orders) = page(rows, r.limitstart, r.limitnum);
    Ok(GetOrdersResponse {
        totalresults: Some(total),
        startnumber: Some(start),
        numreturned: Some(orders.len() as i64),
        orders,
        ..Default::default()
    })
}

/// GetOrderStatuses: each default status with its number of orders.
fn get_order_statuses(
    w: &State,
    _: GetOrderStatuses,
) -> Result<GetOrderStatusesResponse, GetOrderStatusesError> {
    let statuses: Vec<get_order_statuses::OrderStatusCount> = [
        OrderStatus::Pending,
        OrderStatus::Active,
        OrderStatus::Fraud,
        OrderStatus::Cancelled,
    ]
    .into_iter()
    .map(|status| get_order_statuses::OrderStatusCount {
        count: Some(
            w.orders
                .orders
                .iter()
                .filter(|(_, o)| o.status == status)
                .count() as i64,
        ),
        title: Some(status.to_string()),
        ..Default::default()
    })
    .collect();
    Ok(GetOrderStatusesResponse {
        totalresults: Some(statuses.len() as i64),
        statuses,
        ..Default::default()
    })
}

/// Screens an order with the active fraud module. The mock's modules pass every order; the
/// verdict is recorded on the order, as WHMCS records it.
fn order_fraud_check(
    w: &mut State,
    r: OrderFraudCheck,
) -> Result<OrderFraudCheckResponse, OrderFraudCheckError> {
    let module = w
        .modules
        .active_names("fraud")
        .into_iter()
        .next()
        .ok_or(OrderFraudCheckError::NoActiveFraudModule)?;
    let o = w
        .orders
        .orders
        .get_mut(r.orderid)
        .ok_or(OrderFraudCheckError::OrderNotFound)?;
    let ip = r
        .ipaddress
        .filter(|i| !i.is_empty())
        .unwrap_or_else(|| o.ipaddress.clone());
    let output = serde_json::json!({"ip": ip, "score": 0, "status": "Pass"}).to_string();
    o.fraudmodule = module.clone();
    o.fraudoutput = output.clone();
    let userid = o.userid;
    w.log(
        userid,
        format!("Fraud Check Run - Order ID: {} - Pass", r.orderid),
    );
    Ok(OrderFraudCheckResponse {
        module: Some(module),
        status: Some("Pass".into()),
        results: Some(php_serialize(&[("ip", &ip), ("score", "0")])),
        ..Default::default()
    })
}

/// A PHP `serialize()`d array of string pairs.
fn php_serialize(pairs: &[(&str, &str)]) -> String {
    let mut out = format!("a:{}:{{", pairs.len());
    for (k, v) in pairs {
        out.push_str(&format!("s:{}:\"{k}\";s:{}:\"{v}\";", k.len(), v.len()));
    }
    out.push('}');
    out
}
