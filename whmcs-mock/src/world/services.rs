//! Services (the products clients hold), their addons, cancellation requests and upgrades (an
//! upgrade is ordered by UpgradeProduct, in `orders.rs`, and carried out here), and the module
//! commands that move a service through its lifecycle: ModuleCreate (Pending → Active),
//! ModuleSuspend (Active → Suspended), ModuleUnsuspend (Suspended → Active), ModuleTerminate
//! (→ Terminated).
//!
//! A service of a product without a module answers "Service not assigned to a module"; a command
//! the account's state does not allow (suspending a suspended account, creating one that exists)
//! or a module with no server to run on answers the server's refusal. The same commands run by
//! the automation (AcceptOrder's setup, the daily cron) queue their failures in the module queue.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use whmcs_api::actions::client::{
    get_cancelled_packages, get_clients_addons, get_clients_products,
};
use whmcs_api::actions::{
    AddCancelRequest, AddCancelRequestError, AddCancelRequestResponse, BillingCycle,
    CancellationType, ConfigOptionType, GetCancelledPackages, GetCancelledPackagesError,
    GetCancelledPackagesResponse, GetClientsAddons, GetClientsAddonsError,
    GetClientsAddonsResponse, GetClientsProducts, GetClientsProductsError,
    GetClientsProductsResponse, ModuleChangePackage, ModuleChangePackageError,
    ModuleChangePackageResponse, ModuleChangePw, ModuleChangePwError, ModuleChangePwResponse,
    ModuleCreate, ModuleCreateError, ModuleCreateResponse, ModuleCustom, ModuleCustomError,
    ModuleCustomResponse, ModuleSuspend, ModuleSuspendError, ModuleSuspendResponse,
    ModuleTerminate, ModuleTerminateError, ModuleTerminateResponse, ModuleUnsuspend,
    ModuleUnsuspendError, ModuleUnsuspendResponse, OrderStatus, ServiceStatus, UpdateClientAddon,
    UpdateClientAddonError, UpdateClientAddonResponse, UpdateClientProduct,
    UpdateClientProductError, UpdateClientProductResponse,
};
use whmcs_api::{Date, DateTime, Decimal};

use super::dates::{add_cycle, parse_cycle};
use super::fields;
use super::products::{amount, times};
use super::registry::Registry;
use super::{State, page};

/// A service: one product a client holds.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Service {
    pub(crate) clientid: i64,
    pub(crate) orderid: i64,
    pub(crate) pid: i64,
    #[serde(default)]
    pub(crate) domain: String,
    pub(crate) billingcycle: BillingCycle,
    pub(crate) status: ServiceStatus,
    pub(crate) regdate: Date,
    /// The day the next payment is due; moved on a term when a term's invoice is paid.
    pub(crate) nextduedate: Date,
    /// The due date of the next invoice the cron raises; moved on a term when one is raised.
    pub(crate) nextinvoicedate: Date,
    #[serde(default)]
    pub(crate) terminationdate: Option<Date>,
    #[serde(default)]
    pub(crate) firstpaymentamount: Decimal,
    /// The recurring amount.
    #[serde(default)]
    pub(crate) amount: Decimal,
    #[serde(default)]
    pub(crate) paymentmethod: String,
    #[serde(default)]
    pub(crate) suspendreason: String,
    #[serde(default)]
    pub(crate) serverid: i64,
    #[serde(default)]
    pub(crate) username: String,
    #[serde(default)]
    pub(crate) password: String,
    #[serde(default)]
    pub(crate) notes: String,
    #[serde(default)]
    pub(crate) subscriptionid: String,
    #[serde(default)]
    pub(crate) promoid: i64,
    #[serde(default)]
    pub(crate) overideautosuspend: bool,
    #[serde(default)]
    pub(crate) overidesuspenduntil: Option<Date>,
    #[serde(default)]
    pub(crate) ns1: String,
    #[serde(default)]
    pub(crate) ns2: String,
    #[serde(default)]
    pub(crate) dedicatedip: String,
    #[serde(default)]
    pub(crate) assignedips: String,
    #[serde(default)]
    pub(crate) diskusage: i64,
    #[serde(default)]
    pub(crate) disklimit: i64,
    #[serde(default)]
    pub(crate) bwusage: i64,
    #[serde(default)]
    pub(crate) bwlimit: i64,
    #[serde(default = "one")]
    pub(crate) qty: i64,
    /// Whether the module has created the account on its server.
    #[serde(default)]
    pub(crate) provisioned: bool,
    /// The product the server account was last built for (ModuleCreate, ModuleChangePackage).
    #[serde(default)]
    pub(crate) package: i64,
    /// Configurable option choices, by option id: a choice id for a dropdown or radio option,
    /// else the quantity (see `fields::option_values`).
    #[serde(default)]
    pub(crate) configoptions: BTreeMap<String, i64>,
    /// Values of its product's custom fields, by field id.
    #[serde(default)]
    pub(crate) customfields: BTreeMap<i64, String>,
}

/// A quantity of one, the default.
fn one() -> i64 {
    1
}

impl Service {
    /// A service with every optional field empty, registered `today`.
    pub(crate) fn blank(today: Date) -> Self {
        Self {
            clientid: 0,
            orderid: 0,
            pid: 0,
            domain: String::new(),
            billingcycle: BillingCycle::Monthly,
            status: ServiceStatus::Pending,
            regdate: today,
            nextduedate: today,
            nextinvoicedate: today,
            terminationdate: None,
            firstpaymentamount: Decimal::ZERO,
            amount: Decimal::ZERO,
            paymentmethod: String::new(),
            suspendreason: String::new(),
            serverid: 0,
            username: String::new(),
            password: String::new(),
            notes: String::new(),
            subscriptionid: String::new(),
            promoid: 0,
            overideautosuspend: false,
            overidesuspenduntil: None,
            ns1: String::new(),
            ns2: String::new(),
            dedicatedip: String::new(),
            assignedips: String::new(),
            diskusage: 0,
            disklimit: 0,
            bwusage: 0,
            bwlimit: 0,
            qty: 1,
            provisioned: false,
            package: 0,
            configoptions: BTreeMap::new(),
            customfields: BTreeMap::new(),
        }
    }
}

/// An addon attached to a service.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct ServiceAddon {
    pub(crate) userid: i64,
    #[serde(default)]
    pub(crate) orderid: i64,
    pub(crate) serviceid: i64,
    /// The addon definition (0 for a custom addon).
    #[serde(default)]
    pub(crate) addonid: i64,
    pub(crate) name: String,
    #[serde(default)]
    pub(crate) setupfee: Decimal,
    #[serde(default)]
    pub(crate) recurring: Decimal,
    pub(crate) billingcycle: BillingCycle,
    pub(crate) status: ServiceStatus,
    pub(crate) regdate: Date,
    pub(crate) nextduedate: Date,
    pub(crate) nextinvoicedate: Date,
    #[serde(default)]
    pub(crate) terminationdate: Option<Date>,
    #[serde(default)]
    pub(crate) paymentmethod: String,
    #[serde(default)]
    pub(crate) notes: String,
    #[serde(default = "one")]
    pub(crate) qty: i64,
    #[serde(default)]
    pub(crate) tax: bool,
}

/// A cancellation request filed for a service; the daily cron carries it out.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Cancellation {
    pub(crate) serviceid: i64,
    pub(crate) kind: CancellationType,
    #[serde(default)]
    pub(crate) reason: String,
    pub(crate) date: DateTime,
    /// Whether the cron has cancelled the service.
    #[serde(default)]
    pub(crate) done: bool,
}

/// A product or configurable option change ordered for a service.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Upgrade {
    pub(crate) serviceid: i64,
    pub(crate) orderid: i64,
    /// `product` or `configoptions`.
    pub(crate) kind: String,
    pub(crate) oldpid: i64,
    pub(crate) newpid: i64,
    pub(crate) newcycle: BillingCycle,
    /// The recurring amount after the change.
    pub(crate) newamount: Decimal,
    /// What the change costs for the rest of the term.
    pub(crate) amount: Decimal,
    #[serde(default)]
    pub(crate) invoiceid: i64,
    #[serde(default)]
    pub(crate) configoptions: BTreeMap<String, i64>,
    /// Whether it has been carried out.
    #[serde(default)]
    pub(crate) applied: bool,
}

/// A module command on a service, by the name the module queue gives it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Command {
    Create,
    Suspend,
    Unsuspend,
    Terminate,
    ChangePackage,
    ChangePassword,
    Custom,
}

impl Command {
    /// The command's name in the module queue.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Command::Create => "CreateAccount",
            Command::Suspend => "SuspendAccount",
            Command::Unsuspend => "UnsuspendAccount",
            Command::Terminate => "TerminateAccount",
            Command::ChangePackage => "ChangePackage",
            Command::ChangePassword => "ChangePassword",
            Command::Custom => "CustomFunction",
        }
    }
}

/// Why a module command did not run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Failure {
    NoService,
    NoModule,
    /// The module or its server refused, with what it said.
    Server(String),
}

/// Runs a module command on service `sid`: the account's state must allow it and the module
/// needs a server; on success the service's status and server follow.
pub(crate) fn run(w: &mut State, sid: i64, cmd: Command) -> Result<(), Failure> {
    let s = w.orders.services.get(sid).ok_or(Failure::NoService)?;
    let module = w.catalogue.module_of(s.pid);
    if module.is_empty() {
        return Err(Failure::NoModule);
    }
    let serverid = Some(s.serverid)
        .filter(|id| w.catalogue.servers.contains(*id))
        .or_else(|| w.catalogue.server_for(&module));
    let Some(serverid) = serverid else {
        return Err(Failure::Server(format!(
            "No {module} server is available for this service"
        )));
    };
    let live = matches!(s.status, ServiceStatus::Active | ServiceStatus::Suspended);
    let account = s.provisioned || live;
    let refusal = match cmd {
        Command::Create if s.provisioned => Some("An account already exists for this service"),
        Command::Suspend if s.status != ServiceStatus::Active => {
            Some("The account is not active and cannot be suspended")
        }
        Command::Unsuspend if s.status != ServiceStatus::Suspended => {
            Some("The account is not suspended")
        }
        Command::Terminate | Command::ChangePackage | Command::ChangePassword | Command::Custom
            if !account =>
        {
            Some("No account exists for this service")
        }
        _ => None,
    };
    if let Some(refusal) = refusal {
        return Err(Failure::Server(refusal.to_string()));
    }
    let now = w.now;
    let Some(s) = w.orders.services.get_mut(sid) else {
        return Err(Failure::NoService);
    };
    s.serverid = serverid;
    match cmd {
        Command::Create => {
            s.provisioned = true;
            s.package = s.pid;
            s.status = ServiceStatus::Active;
        }
        Command::Suspend => s.status = ServiceStatus::Suspended,
        Command::Unsuspend => {
            s.status = ServiceStatus::Active;
            s.suspendreason.clear();
        }
        Command::Terminate => {
            s.provisioned = false;
            s.status = ServiceStatus::Terminated;
            s.terminationdate = Some(now.date());
        }
        Command::ChangePackage => s.package = s.pid,
        Command::ChangePassword | Command::Custom => {}
    }
    let client = s.clientid;
    w.modules.complete("service", sid, cmd.name(), now);
    w.log(
        client,
        format!("Module {} Successful - Service ID: {sid}", cmd.name()),
    );
    Ok(())
}

/// Runs a command for the automation: a refusal is queued in the module queue.
pub(crate) fn automate(w: &mut State, sid: i64, cmd: Command) -> Result<(), Failure> {
    let result = run(w, sid, cmd);
    if let Err(Failure::Server(error)) = &result {
        let module = w
            .orders
            .services
            .get(sid)
            .map(|s| w.catalogue.module_of(s.pid))
            .unwrap_or_default();
        let now = w.now;
        w.modules
            .queue_failure("service", sid, &module, cmd.name(), error, now);
    }
    result
}

/// Attaches a new Pending addon of definition `def` to service `sid`; returns its id.
pub(crate) fn new_addon(
    w: &mut State,
    def: i64,
    sid: i64,
    qty: i64,
    orderid: i64,
    gateway: &str,
) -> i64 {
    let today = w.today();
    let userid = w.orders.services.get(sid).map_or(0, |s| s.clientid);
    let d = w.catalogue.addons.get(def).cloned().unwrap_or_default();
    let qty = qty.max(1);
    w.orders.addons.insert(ServiceAddon {
        userid,
        orderid,
        serviceid: sid,
        addonid: def,
        name: d.name,
        setupfee: times(d.setupfee, qty),
        recurring: times(d.recurring, qty),
        billingcycle: parse_cycle(&d.billingcycle).unwrap_or(BillingCycle::Monthly),
        status: ServiceStatus::Pending,
        regdate: today,
        nextduedate: today,
        nextinvoicedate: today,
        terminationdate: None,
        paymentmethod: gateway.to_string(),
        notes: String::new(),
        qty,
        tax: d.tax,
    })
}

/// The invoice line of a new addon: its description and first payment.
pub(crate) fn addon_line(w: &State, aid: i64) -> Option<(String, Decimal)> {
    let a = w.orders.addons.get(aid)?;
    let product = w
        .orders
        .services
        .get(a.serviceid)
        .map(|s| w.catalogue.product_name(s.pid))
        .unwrap_or_default();
    let end = add_cycle(a.nextduedate, &a.billingcycle);
    Some((
        format!("{product} - {} ({} - {end})", a.name, a.nextduedate),
        a.setupfee + a.recurring,
    ))
}

/// How order lines name a product's type.
pub(crate) fn product_type_label(w: &State, pid: i64) -> String {
    let kind = w
        .catalogue
        .products
        .get(pid)
        .map(|p| p.kind.as_str())
        .unwrap_or("other");
    match kind {
        "hostingaccount" => "Shared Hosting",
        "reselleraccount" => "Reseller Hosting",
        "server" => "Dedicated/VPS Server",
        _ => "Other Product/Service",
    }
    .to_string()
}

/// Carries out an upgrade: the service moves to its new product, cycle and price.
pub(crate) fn apply_upgrade(w: &mut State, id: i64) {
    let Some(u) = w.orders.upgrades.get_mut(id).filter(|u| !u.applied) else {
        return;
    };
    u.applied = true;
    let u = u.clone();
    if let Some(s) = w.orders.services.get_mut(u.serviceid) {
        if u.kind == "product" {
            s.pid = u.newpid;
            s.billingcycle = u.newcycle.clone();
            s.amount = u.newamount;
        } else {
            s.configoptions.extend(u.configoptions.clone());
        }
        let client = s.clientid;
        w.log(
            client,
            format!("Upgrade Completed - Service ID: {}", u.serviceid),
        );
    }
    if let Some(o) = w.orders.orders.get_mut(u.orderid) {
        o.status = OrderStatus::Active;
    }
}

/// Registers the service actions.
pub(crate) fn register(r: &mut Registry) {
    r.read::<GetClientsProducts>(get_clients_products);
    r.on::<UpdateClientProduct>(update_client_product);
    r.read::<GetClientsAddons>(get_clients_addons);
    r.on::<UpdateClientAddon>(update_client_addon);
    r.on::<AddCancelRequest>(add_cancel_request);
    r.read::<GetCancelledPackages>(get_cancelled_packages);
    r.on::<ModuleCreate>(module_create);
    r.on::<ModuleSuspend>(module_suspend);
    r.on::<ModuleUnsuspend>(module_unsuspend);
    r.on::<ModuleTerminate>(module_terminate);
    r.on::<ModuleChangePackage>(module_change_package);
    r.on::<ModuleChangePw>(module_change_pw);
    r.on::<ModuleCustom>(module_custom);
}

/// The custom fields of a service's product, each with the service's value or none (that WHMCS
/// lists the fields without a value too is unverified). The mock has no translations:
/// `translated_name` is the name.
fn service_fields(w: &State, s: &Service) -> Vec<get_clients_products::ServiceCustomField> {
    fields::fields_of(&w.catalogue.customfields, Some(s.pid))
        .map(|(id, f)| get_clients_products::ServiceCustomField {
            id: Some(id),
            name: Some(f.name.clone()),
            translated_name: Some(f.name.clone()),
            value: Some(s.customfields.get(&id).cloned().unwrap_or_default()),
            ..Default::default()
        })
        .collect()
}

/// The configurable options of a service's product, each with the service's choice (empty when
/// it has none, unverified): a dropdown or radio option shows the choice's name.
fn service_options(w: &State, s: &Service) -> Vec<get_clients_products::ServiceConfigOption> {
    fields::options_of(&w.catalogue.configoptions, s.pid)
        .map(|(id, o)| get_clients_products::ServiceConfigOption {
            id: Some(id),
            option: Some(o.name.clone()),
            option_type: match o.kind {
                fields::DROPDOWN => Some(ConfigOptionType::Dropdown),
                fields::RADIO => Some(ConfigOptionType::Radio),
                fields::YES_NO => Some(ConfigOptionType::Yesno),
                fields::QUANTITY => Some(ConfigOptionType::Quantity),
                _ => None,
            },
            value: Some(
                s.configoptions
                    .get(&id.to_string())
                    .map(|v| o.shown(*v))
                    .unwrap_or_default(),
            ),
            ..Default::default()
        })
        .collect()
}

/// GetClientsProducts: the services matching the filters, a page at a time.
fn get_clients_products(
    w: &State,
    r: GetClientsProducts,
) -> Result<GetClientsProductsResponse, GetClientsProductsError> {
    let rows: Vec<get_clients_products::ClientService> = w
        .orders
        .services
        .iter()
        .filter(|(id, s)| {
            r.clientid.is_none_or(|c| c == s.clientid)
                && r.serviceid.is_none_or(|x| x == *id)
                && r.pid.is_none_or(|x| x == s.pid)
                && r.domain
                    .as_deref()
                    .filter(|d| !d.is_empty())
                    .is_none_or(|d| d.eq_ignore_ascii_case(&s.domain))
                && r.username2
                    .as_deref()
                    .filter(|u| !u.is_empty())
                    .is_none_or(|u| u == s.username)
        })
        .map(|(id, s)| {
            let server = w.catalogue.servers.get(s.serverid);
            let name = w.catalogue.product_name(s.pid);
            let group = w.catalogue.group_name(s.pid);
            get_clients_products::ClientService {
                id: Some(id),
                qty: Some(s.qty),
                clientid: Some(s.clientid),
                orderid: Some(s.orderid),
                ordernumber: Some(s.orderid.to_string()),
                pid: Some(s.pid),
                regdate: Some(s.regdate),
                translated_name: Some(name.clone()),
                name: Some(name),
                translated_groupname: Some(group.clone()),
                groupname: Some(group),
                domain: Some(s.domain.clone()),
                dedicatedip: Some(s.dedicatedip.clone()),
                serverid: Some(s.serverid),
                servername: Some(server.map(|v| v.name.clone()).unwrap_or_default()),
                serverip: Some(server.map(|v| v.ipaddress.clone()).unwrap_or_default()),
                serverhostname: Some(server.map(|v| v.hostname.clone()).unwrap_or_default()),
                suspensionreason: Some(s.suspendreason.clone()),
                firstpaymentamount: Some(s.firstpaymentamount),
                recurringamount: Some(s.amount),
                paymentmethod: Some(s.paymentmethod.clone()),
                paymentmethodname: Some(w.modules.gateway_name(&s.paymentmethod)),
                billingcycle: Some(s.billingcycle.clone()),
                nextduedate: Some(s.nextduedate),
                status: Some(s.status.clone()),
                username: Some(s.username.clone()),
                password: Some(s.password.clone().into()),
                subscriptionid: Some(s.subscriptionid.clone()),
                promoid: Some(s.promoid),
                overideautosuspend: Some(if s.overideautosuspend { "on" } else { "" }.into()),
                overidesuspenduntil: s.overidesuspenduntil,
                ns1: Some(s.ns1.clone()),
                ns2: Some(s.ns2.clone()),
                assignedips: Some(s.assignedips.clone()),
                notes: Some(s.notes.clone()),
                diskusage: Some(s.diskusage),
                disklimit: Some(s.disklimit),
                bwusage: Some(s.bwusage),
                bwlimit: Some(s.bwlimit),
                customfields: service_fields(w, s),
                configoptions: service_options(w, s),
                ..Default::default()
            }
        })
        .collect();
    let (total, start, products) = page(rows, r.limitstart, r.limitnum);
    Ok(GetClientsProductsResponse {
        clientid: r.clientid,
        serviceid: r.serviceid,
        pid: r.pid,
        domain: r.domain,
        totalresults: Some(total),
        startnumber: Some(start),
        numreturned: Some(products.len() as i64),
        products,
        ..Default::default()
    })
}

/// UpdateClientProduct: stores what is given; `autorecalc` prices the service from its product.
fn update_client_product(
    w: &mut State,
    r: UpdateClientProduct,
) -> Result<UpdateClientProductResponse, UpdateClientProductError> {
    let recalc = r.autorecalc.unwrap_or(false).then(|| {
        let s = w.orders.services.get(r.serviceid)?;
        let pid = r.pid.unwrap_or(s.pid);
        let cycle = r
            .billingcycle
            .clone()
            .unwrap_or_else(|| s.billingcycle.clone());
        let price = w.catalogue.products.get(pid)?.price(&cycle)?;
        Some(times(price, s.qty.max(1)))
    });
    let catalogue = &w.catalogue;
    let customfields =
        |pid| fields::custom_values(&catalogue.customfields, Some(pid), r.customfields.as_ref());
    let options =
        |pid| fields::option_values(&catalogue.configoptions, pid, r.configoptions.as_ref());
    let s = w
        .orders
        .services
        .get_mut(r.serviceid)
        .ok_or(UpdateClientProductError::ServiceIdNotFound)?;
    let set = |field: &mut String, v: Option<String>| {
        if let Some(v) = v {
            *field = v;
        }
    };
    if let Some(v) = r.status {
        s.status = v;
    }
    if let Some(v) = r.pid {
        s.pid = v;
    }
    if let Some(v) = r.serverid {
        s.serverid = v;
    }
    if let Some(v) = r.regdate {
        s.regdate = v;
    }
    if let Some(v) = r.nextduedate {
        s.nextduedate = v;
        s.nextinvoicedate = v;
    }
    if let Some(v) = r.terminationdate {
        s.terminationdate = Some(v);
    }
    set(&mut s.domain, r.domain);
    if let Some(v) = r.firstpaymentamount {
        s.firstpaymentamount = amount(v);
    }
    if let Some(v) = r.recurringamount {
        s.amount = amount(v);
    }
    set(&mut s.paymentmethod, r.paymentmethod);
    if let Some(v) = r.billingcycle {
        s.billingcycle = v;
    }
    set(&mut s.subscriptionid, r.subscriptionid);
    set(&mut s.notes, r.notes);
    set(&mut s.username, r.serviceusername);
    if let Some(v) = r.servicepassword {
        s.password = v.expose().to_string();
    }
    if let Some(v) = r.overideautosuspend {
        s.overideautosuspend = v.as_str() == "on";
    }
    if let Some(v) = r.overidesuspenduntil {
        s.overidesuspenduntil = Some(v);
    }
    set(&mut s.ns1, r.ns1);
    set(&mut s.ns2, r.ns2);
    set(&mut s.dedicatedip, r.dedicatedip);
    set(&mut s.assignedips, r.assignedips);
    if let Some(v) = r.diskusage {
        s.diskusage = v;
    }
    if let Some(v) = r.disklimit {
        s.disklimit = v;
    }
    if let Some(v) = r.bwusage {
        s.bwusage = v;
    }
    if let Some(v) = r.bwlimit {
        s.bwlimit = v;
    }
    set(&mut s.suspendreason, r.suspendreason);
    if let Some(v) = r.promoid {
        s.promoid = v;
    }
    for field in &r.unset {
        match field.as_str() {
            "domain" => s.domain.clear(),
            "serviceusername" => s.username.clear(),
            "servicepassword" => s.password.clear(),
            "subscriptionid" => s.subscriptionid.clear(),
            "ns1" => s.ns1.clear(),
            "ns2" => s.ns2.clear(),
            "dedicatedip" => s.dedicatedip.clear(),
            "assignedips" => s.assignedips.clear(),
            "notes" => s.notes.clear(),
            "suspendreason" => s.suspendreason.clear(),
            _ => {}
        }
    }
    if let Some(Some(amount)) = recalc {
        s.amount = amount;
    }
    // The values given replace those of the same ids; the others are kept. They are read for the
    // service's product as it stands after this call (`pid` may have moved it).
    s.customfields.extend(customfields(s.pid));
    s.configoptions.extend(options(s.pid));
    let client = s.clientid;
    w.log(
        client,
        format!("Modified Product/Service - Service ID: {}", r.serviceid),
    );
    Ok(UpdateClientProductResponse {
        serviceid: Some(r.serviceid),
        ..Default::default()
    })
}

/// GetClientsAddons: the service addons matching the client, service list and addon filters.
fn get_clients_addons(
    w: &State,
    r: GetClientsAddons,
) -> Result<GetClientsAddonsResponse, GetClientsAddonsError> {
    let services: Option<Vec<i64>> =
        r.serviceid
            .as_deref()
            .filter(|s| !s.trim().is_empty())
            .map(|s| {
                s.split(',')
                    .filter_map(|id| id.trim().parse().ok())
                    .collect()
            });
    let addons: Vec<get_clients_addons::ServiceAddon> = w
        .orders
        .addons
        .iter()
        .filter(|(_, a)| {
            r.clientid.is_none_or(|c| c == a.userid)
                && r.addonid.is_none_or(|d| d == a.addonid)
                && services
                    .as_ref()
                    .is_none_or(|ids| ids.contains(&a.serviceid))
        })
        .map(|(id, a)| get_clients_addons::ServiceAddon {
            id: Some(id),
            qty: Some(a.qty),
            userid: Some(a.userid),
            orderid: Some(a.orderid),
            serviceid: Some(a.serviceid),
            addonid: Some(a.addonid),
            name: Some(a.name.clone()),
            setupfee: Some(a.setupfee),
            recurring: Some(a.recurring),
            billingcycle: Some(a.billingcycle.clone()),
            tax: Some(if a.tax { "on" } else { "" }.into()),
            status: Some(a.status.clone()),
            regdate: Some(a.regdate),
            nextduedate: Some(a.nextduedate),
            nextinvoicedate: Some(a.nextinvoicedate),
            paymentmethod: Some(a.paymentmethod.clone()),
            paymentmethodname: Some(w.modules.gateway_name(&a.paymentmethod)),
            notes: Some(a.notes.clone()),
            ..Default::default()
        })
        .collect();
    Ok(GetClientsAddonsResponse {
        serviceid: services.filter(|ids| ids.len() == 1).map(|ids| ids[0]),
        clientid: r.clientid,
        totalresults: Some(addons.len() as i64),
        addons,
        ..Default::default()
    })
}

/// UpdateClientAddon: stores what is given; nothing given is an error.
fn update_client_addon(
    w: &mut State,
    r: UpdateClientAddon,
) -> Result<UpdateClientAddonResponse, UpdateClientAddonError> {
    let nothing = r.status.is_none()
        && r.addonid.is_none()
        && r.name.is_none()
        && r.setupfee.is_none()
        && r.recurring.is_none()
        && r.billingcycle.is_none()
        && r.nextduedate.is_none()
        && r.terminationdate.is_none()
        && r.notes.is_none()
        && !r.autorecalc.unwrap_or(false);
    let def = r
        .addonid
        .or_else(|| w.orders.addons.get(r.id).map(|a| a.addonid))
        .and_then(|d| w.catalogue.addons.get(d).cloned());
    let a = w
        .orders
        .addons
        .get_mut(r.id)
        .ok_or(UpdateClientAddonError::AddonIdNotFound)?;
    if nothing {
        return Err(UpdateClientAddonError::NothingToUpdate);
    }
    if let Some(v) = r.status {
        a.status = v;
    }
    if let Some(v) = r.addonid {
        a.addonid = v;
        if r.name.is_none()
            && let Some(d) = &def
        {
            a.name = d.name.clone();
        }
    }
    if let Some(v) = r.name {
        a.name = v;
    }
    if let Some(v) = r.setupfee {
        a.setupfee = amount(v);
    }
    if let Some(v) = r.recurring {
        a.recurring = amount(v);
    }
    if let Some(v) = r.billingcycle {
        a.billingcycle = v;
    }
    if let Some(v) = r.nextduedate {
        a.nextduedate = v;
        a.nextinvoicedate = v;
    }
    if let Some(v) = r.terminationdate {
        a.terminationdate = Some(v);
    }
    if let Some(v) = r.notes {
        a.notes = v;
    }
    if r.autorecalc.unwrap_or(false)
        && let Some(d) = def
    {
        a.recurring = times(d.recurring, a.qty.max(1));
    }
    let client = a.userid;
    w.log(client, format!("Modified Addon - Addon ID: {}", r.id));
    Ok(UpdateClientAddonResponse {
        id: Some(r.id),
        ..Default::default()
    })
}

/// AddCancelRequest: one request per service; the daily cron carries it out.
fn add_cancel_request(
    w: &mut State,
    r: AddCancelRequest,
) -> Result<AddCancelRequestResponse, AddCancelRequestError> {
    let client = w
        .orders
        .services
        .get(r.serviceid)
        .map(|s| s.clientid)
        .ok_or(AddCancelRequestError::ServiceIdNotFound)?;
    if w.orders
        .cancellations
        .iter()
        .any(|(_, c)| c.serviceid == r.serviceid)
    {
        return Err(AddCancelRequestError::ExistingCancellationRequestExists);
    }
    let now = w.now;
    w.orders.cancellations.insert(Cancellation {
        serviceid: r.serviceid,
        kind: r
            .cancel_type
            .unwrap_or(CancellationType::EndOfBillingPeriod),
        reason: r.reason.unwrap_or_default(),
        date: now,
        done: false,
    });
    w.log(
        client,
        format!(
            "Cancellation Request Submitted - Service ID: {}",
            r.serviceid
        ),
    );
    Ok(AddCancelRequestResponse {
        serviceid: Some(r.serviceid),
        userid: Some(client),
        ..Default::default()
    })
}

/// GetCancelledPackages: every cancellation request, a page at a time.
fn get_cancelled_packages(
    w: &State,
    r: GetCancelledPackages,
) -> Result<GetCancelledPackagesResponse, GetCancelledPackagesError> {
    let rows: Vec<get_cancelled_packages::CancellationRequest> = w
        .orders
        .cancellations
        .iter()
        .map(|(id, c)| get_cancelled_packages::CancellationRequest {
            id: Some(id),
            date: Some(c.date),
            relid: Some(c.serviceid),
            reason: Some(c.reason.clone()),
            cancel_type: Some(c.kind.clone()),
            created_at: Some(c.date),
            updated_at: Some(c.date),
            ..Default::default()
        })
        .collect();
    let (total, start, packages) = page(rows, r.limitstart, r.limitnum);
    Ok(GetCancelledPackagesResponse {
        totalresults: Some(total),
        startnumber: Some(start),
        numreturned: Some(packages.len() as i64),
        packages,
        ..Default::default()
    })
}

/// A module action: the command, then `$after` on success; the errors are the variants every
/// module action's generated enum shares.
macro_rules! module_action {
    ($name:ident, $req:ty, $resp:ty, $err:ident, $cmd:expr, $after:expr) => {
        fn $name(w: &mut State, r: $req) -> Result<$resp, $err> {
            let after: fn(&mut State, $req) = $after;
            let sid = r.serviceid;
            match run(w, sid, $cmd) {
                Ok(()) => {
                    after(w, r);
                    Ok(<$resp>::default())
                }
                Err(Failure::NoService) => Err($err::ServiceNotFound),
                Err(Failure::NoModule) => Err($err::NoModuleAssigned),
                Err(Failure::Server(_)) => Err($err::ServerResponse),
            }
        }
    };
}

module_action!(
    module_create,
    ModuleCreate,
    ModuleCreateResponse,
    ModuleCreateError,
    Command::Create,
    |_, _| {}
);
module_action!(
    module_suspend,
    ModuleSuspend,
    ModuleSuspendResponse,
    ModuleSuspendError,
    Command::Suspend,
    |w, r| {
        if let Some(s) = w.orders.services.get_mut(r.serviceid) {
            s.suspendreason = r.suspendreason.unwrap_or_default();
        }
    }
);
module_action!(
    module_unsuspend,
    ModuleUnsuspend,
    ModuleUnsuspendResponse,
    ModuleUnsuspendError,
    Command::Unsuspend,
    |_, _| {}
);
module_action!(
    module_terminate,
    ModuleTerminate,
    ModuleTerminateResponse,
    ModuleTerminateError,
    Command::Terminate,
    |_, _| {}
);
module_action!(
    module_change_package,
    ModuleChangePackage,
    ModuleChangePackageResponse,
    ModuleChangePackageError,
    Command::ChangePackage,
    |_, _| {}
);
module_action!(
    module_change_pw,
    ModuleChangePw,
    ModuleChangePwResponse,
    ModuleChangePwError,
    Command::ChangePassword,
    |w, r| {
        if let Some(password) = r.servicepassword
            && let Some(s) = w.orders.services.get_mut(r.serviceid)
        {
            s.password = password.expose().to_string();
        }
    }
);
module_action!(
    module_custom,
    ModuleCustom,
    ModuleCustomResponse,
    ModuleCustomError,
    Command::Custom,
    |w, r| {
        let client = w.orders.services.get(r.serviceid).map_or(0, |s| s.clientid);
        w.log(
            client,
            format!(
                "Module Custom Function {} - Service ID: {}",
                r.func_name, r.serviceid
            ),
        );
    }
);
