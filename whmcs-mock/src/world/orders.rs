//! Products, orders and the services they create, with cancellation requests and the module
//! actions that move a service through its lifecycle.

use serde::{Deserialize, Serialize};
use whmcs_api::actions::client::{get_cancelled_packages, get_clients_products};
use whmcs_api::actions::orders::get_orders;
use whmcs_api::actions::{
    AcceptOrder, AcceptOrderError, AcceptOrderResponse, AddCancelRequest, AddCancelRequestError,
    AddCancelRequestResponse, AddOrder, AddOrderError, AddOrderResponse, BillingCycle,
    CancellationType, ClientStatus, GetCancelledPackages, GetCancelledPackagesError,
    GetCancelledPackagesResponse, GetClientsProducts, GetClientsProductsError,
    GetClientsProductsResponse, GetOrders, GetOrdersError, GetOrdersResponse, ModuleSuspend,
    ModuleSuspendError, ModuleSuspendResponse, ModuleTerminate, ModuleTerminateError,
    ModuleTerminateResponse, ModuleUnsuspend, ModuleUnsuspendError, ModuleUnsuspendResponse,
    OrderStatus, ServiceStatus,
};
use whmcs_api::{Date, DateTime, Decimal};

use super::billing::NewItem;
use super::registry::Registry;
use super::{State, Table, page};

/// The order tables.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct Orders {
    pub(crate) products: Table<Product>,
    pub(crate) orders: Table<Order>,
    pub(crate) services: Table<Service>,
}

/// A product clients can order.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Product {
    pub(crate) gid: i64,
    pub(crate) name: String,
    pub(crate) groupname: String,
    /// The monthly price; other cycles are multiples of it.
    pub(crate) monthly: Decimal,
}

/// An order.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Order {
    pub(crate) userid: i64,
    pub(crate) status: OrderStatus,
    pub(crate) date: DateTime,
    pub(crate) amount: Decimal,
    pub(crate) paymentmethod: String,
    /// The invoice raised for it (0 when none was).
    pub(crate) invoiceid: i64,
    pub(crate) promocode: String,
}

/// A service: one product a client holds.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Service {
    pub(crate) clientid: i64,
    pub(crate) orderid: i64,
    pub(crate) pid: i64,
    pub(crate) domain: String,
    pub(crate) billingcycle: BillingCycle,
    pub(crate) status: ServiceStatus,
    pub(crate) regdate: Date,
    pub(crate) nextduedate: Date,
    pub(crate) firstpaymentamount: Decimal,
    pub(crate) amount: Decimal,
    pub(crate) paymentmethod: String,
    pub(crate) suspendreason: String,
    pub(crate) cancellation: Option<Cancellation>,
}

/// A cancellation request filed for a service.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Cancellation {
    pub(crate) id: i64,
    pub(crate) kind: CancellationType,
    pub(crate) reason: String,
    pub(crate) date: DateTime,
}

impl Orders {
    /// A fresh installation's catalogue: one hosting product.
    pub(crate) fn fresh() -> Self {
        let mut orders = Self::default();
        orders.products.insert(Product {
            gid: 1,
            name: "Starter Hosting".into(),
            groupname: "Hosting".into(),
            monthly: Decimal::new(1000, 2),
        });
        orders
    }

    pub(crate) fn exists(&self, entity: &str, id: i64) -> Option<bool> {
        match entity {
            "order" => Some(self.orders.contains(id)),
            "service" => Some(self.services.contains(id)),
            "product" => Some(self.products.contains(id)),
            _ => None,
        }
    }

    /// Forgets everything a deleted client had.
    pub(crate) fn forget_client(&mut self, client: i64) {
        self.services.retain(|_, s| s.clientid != client);
        self.orders.retain(|_, o| o.userid != client);
    }

    /// A closed client's services are cancelled.
    pub(crate) fn close_client(&mut self, client: i64) {
        for (_, s) in self.services.iter_mut() {
            if s.clientid == client && s.status != ServiceStatus::Terminated {
                s.status = ServiceStatus::Cancelled;
            }
        }
    }
}

/// The billing cycle AddOrder spells in lower case (`semiannually`), as answers spell it.
fn cycle(text: &str) -> BillingCycle {
    match text.to_ascii_lowercase().replace(['-', ' '], "").as_str() {
        "onetime" => BillingCycle::OneTime,
        "quarterly" => BillingCycle::Quarterly,
        "semiannually" => BillingCycle::SemiAnnually,
        "annually" => BillingCycle::Annually,
        "biennially" => BillingCycle::Biennially,
        "triennially" => BillingCycle::Triennially,
        "free" | "freeaccount" => BillingCycle::FreeAccount,
        _ => BillingCycle::Monthly,
    }
}

/// How many months a cycle lasts (0 for those that do not recur).
pub(crate) fn months(cycle: &BillingCycle) -> u32 {
    match cycle {
        BillingCycle::Monthly => 1,
        BillingCycle::Quarterly => 3,
        BillingCycle::SemiAnnually => 6,
        BillingCycle::Annually => 12,
        BillingCycle::Biennially => 24,
        BillingCycle::Triennially => 36,
        _ => 0,
    }
}

pub(crate) fn register(r: &mut Registry) {
    r.on::<AddOrder>(add_order);
    r.on::<AcceptOrder>(accept_order);
    r.read::<GetOrders>(get_orders);
    r.read::<GetClientsProducts>(get_clients_products);
    r.on::<ModuleSuspend>(module_suspend);
    r.on::<ModuleUnsuspend>(module_unsuspend);
    r.on::<ModuleTerminate>(module_terminate);
    r.on::<AddCancelRequest>(add_cancel_request);
    r.read::<GetCancelledPackages>(get_cancelled_packages);
}

fn add_order(w: &mut State, r: AddOrder) -> Result<AddOrderResponse, AddOrderError> {
    let client = w
        .clients
        .clients
        .get(r.clientid)
        .ok_or(AddOrderError::ClientIdNotFound)?;
    if client.status == ClientStatus::Closed {
        return Err(AddOrderError::ClientClosed);
    }
    if r.pid.is_empty() {
        return Err(AddOrderError::NoItemsAdded);
    }
    let today = w.today();
    let now = w.now;
    let orderid = w.orders.orders.insert(Order {
        userid: r.clientid,
        status: OrderStatus::Pending,
        date: now,
        amount: Decimal::ZERO,
        paymentmethod: r.paymentmethod.clone(),
        invoiceid: 0,
        promocode: r.promocode.clone().unwrap_or_default(),
    });
    let mut serviceids = Vec::new();
    let mut items = Vec::new();
    let mut total = Decimal::ZERO;
    for (i, pid) in r.pid.iter().copied().enumerate() {
        let billingcycle = r
            .billingcycle
            .get(i)
            .map_or(BillingCycle::Monthly, |c| cycle(c));
        let product = w.orders.products.get(pid);
        let list_price = product.map_or(Decimal::new(1000, 2), |p| {
            p.monthly * Decimal::from(months(&billingcycle).max(1))
        });
        let amount = r.priceoverride.get(i).copied().unwrap_or(list_price);
        let name = product.map_or_else(|| format!("Product #{pid}"), |p| p.name.clone());
        let domain = r.domain.get(i).cloned().unwrap_or_default();
        let sid = w.orders.services.insert(Service {
            clientid: r.clientid,
            orderid,
            pid,
            domain: domain.clone(),
            billingcycle: billingcycle.clone(),
            status: ServiceStatus::Pending,
            regdate: today,
            nextduedate: today,
            firstpaymentamount: amount,
            amount,
            paymentmethod: r.paymentmethod.clone(),
            suspendreason: String::new(),
            cancellation: None,
        });
        let description = if domain.is_empty() {
            format!("{name} ({billingcycle})")
        } else {
            format!("{name} - {domain} ({billingcycle})")
        };
        items.push(NewItem {
            kind: "Hosting".into(),
            relid: sid,
            description,
            amount,
            taxed: false,
        });
        total += amount;
        serviceids.push(sid);
    }
    let invoiceid = if r.noinvoice.unwrap_or(false) {
        None
    } else {
        Some(super::billing::raise_invoice(
            w,
            r.clientid,
            items,
            today,
            &r.paymentmethod,
        ))
    };
    if let Some(order) = w.orders.orders.get_mut(orderid) {
        order.amount = total;
        order.invoiceid = invoiceid.unwrap_or(0);
    }
    w.log(r.clientid, format!("Order Placed - Order ID: {orderid}"));
    Ok(AddOrderResponse {
        orderid,
        serviceids,
        invoiceid,
        ..Default::default()
    })
}

fn accept_order(w: &mut State, r: AcceptOrder) -> Result<AcceptOrderResponse, AcceptOrderError> {
    let order = w
        .orders
        .orders
        .get_mut(r.orderid)
        .filter(|o| o.status == OrderStatus::Pending)
        .ok_or(AcceptOrderError::OrderNotFoundOrNotPending)?;
    order.status = OrderStatus::Active;
    let userid = order.userid;
    for (_, s) in w.orders.services.iter_mut() {
        if s.orderid == r.orderid && s.status == ServiceStatus::Pending {
            s.status = ServiceStatus::Active;
        }
    }
    w.log(userid, format!("Order Accepted - Order ID: {}", r.orderid));
    Ok(AcceptOrderResponse::default())
}

fn get_orders(w: &State, r: GetOrders) -> Result<GetOrdersResponse, GetOrdersError> {
    let rows: Vec<get_orders::Order> = w
        .orders
        .orders
        .iter()
        .rev()
        .filter(|(id, o)| {
            r.id.is_none_or(|i| i == *id)
                && r.userid.is_none_or(|u| u == o.userid)
                && r.status.as_ref().is_none_or(|s| *s == o.status)
        })
        .map(|(id, o)| {
            let lineitems = w
                .orders
                .services
                .iter()
                .filter(|(_, s)| s.orderid == id)
                .map(|(sid, s)| get_orders::OrderLineItem {
                    item_type: Some("product".into()),
                    relid: Some(sid),
                    producttype: Some("Other".into()),
                    product: Some(
                        w.orders
                            .products
                            .get(s.pid)
                            .map_or_else(|| format!("Product #{}", s.pid), |p| p.name.clone()),
                    ),
                    domain: Some(s.domain.clone()),
                    billingcycle: Some(s.billingcycle.clone()),
                    amount: Some(s.amount),
                    status: Some(s.status.clone()),
                    ..Default::default()
                })
                .collect();
            get_orders::Order {
                id: Some(id),
                ordernum: Some(id),
                userid: Some(o.userid),
                date: Some(o.date),
                amount: Some(o.amount),
                paymentmethod: Some(o.paymentmethod.clone()),
                invoiceid: Some(o.invoiceid),
                status: Some(o.status.clone()),
                promocode: Some(o.promocode.clone()),
                paymentstatus: w
                    .billing
                    .invoices
                    .get(o.invoiceid)
                    .map(|i| i.status.clone()),
                name: w.clients.clients.get(o.userid).map(|c| c.fullname()),
                lineitems,
                ..Default::default()
            }
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
                    .as_ref()
                    .is_none_or(|d| d.eq_ignore_ascii_case(&s.domain))
        })
        .map(|(id, s)| {
            let product = w.orders.products.get(s.pid);
            get_clients_products::ClientService {
                id: Some(id),
                qty: Some(1),
                clientid: Some(s.clientid),
                orderid: Some(s.orderid),
                ordernumber: Some(s.orderid.to_string()),
                pid: Some(s.pid),
                regdate: Some(s.regdate),
                name: Some(
                    product.map_or_else(|| format!("Product #{}", s.pid), |p| p.name.clone()),
                ),
                groupname: product.map(|p| p.groupname.clone()),
                domain: Some(s.domain.clone()),
                firstpaymentamount: Some(s.firstpaymentamount),
                recurringamount: Some(s.amount),
                paymentmethod: Some(s.paymentmethod.clone()),
                billingcycle: Some(s.billingcycle.clone()),
                nextduedate: Some(s.nextduedate),
                status: Some(s.status.clone()),
                suspensionreason: Some(s.suspendreason.clone()),
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

/// Moves a service to `to`; `Err(())` when it does not exist.
fn set_status(w: &mut State, id: i64, to: ServiceStatus, reason: Option<String>) -> Result<(), ()> {
    let s = w.orders.services.get_mut(id).ok_or(())?;
    s.status = to.clone();
    if let Some(reason) = reason {
        s.suspendreason = reason;
    }
    let client = s.clientid;
    w.log(client, format!("Service ID: {id} status changed to {to}"));
    Ok(())
}

fn module_suspend(
    w: &mut State,
    r: ModuleSuspend,
) -> Result<ModuleSuspendResponse, ModuleSuspendError> {
    set_status(w, r.serviceid, ServiceStatus::Suspended, r.suspendreason)
        .map_err(|()| ModuleSuspendError::ServiceNotFound)?;
    Ok(ModuleSuspendResponse::default())
}

fn module_unsuspend(
    w: &mut State,
    r: ModuleUnsuspend,
) -> Result<ModuleUnsuspendResponse, ModuleUnsuspendError> {
    set_status(w, r.serviceid, ServiceStatus::Active, Some(String::new()))
        .map_err(|()| ModuleUnsuspendError::ServiceNotFound)?;
    Ok(ModuleUnsuspendResponse::default())
}

fn module_terminate(
    w: &mut State,
    r: ModuleTerminate,
) -> Result<ModuleTerminateResponse, ModuleTerminateError> {
    set_status(w, r.serviceid, ServiceStatus::Terminated, None)
        .map_err(|()| ModuleTerminateError::ServiceNotFound)?;
    Ok(ModuleTerminateResponse::default())
}

fn add_cancel_request(
    w: &mut State,
    r: AddCancelRequest,
) -> Result<AddCancelRequestResponse, AddCancelRequestError> {
    let next = w
        .orders
        .services
        .iter()
        .filter_map(|(_, s)| s.cancellation.as_ref().map(|c| c.id))
        .max()
        .unwrap_or(0)
        + 1;
    let now = w.now;
    let s = w
        .orders
        .services
        .get_mut(r.serviceid)
        .ok_or(AddCancelRequestError::ServiceIdNotFound)?;
    if s.cancellation.is_some() {
        return Err(AddCancelRequestError::ExistingCancellationRequestExists);
    }
    let kind = r
        .cancel_type
        .unwrap_or(CancellationType::EndOfBillingPeriod);
    if kind == CancellationType::Immediate {
        s.status = ServiceStatus::Cancelled;
    }
    s.cancellation = Some(Cancellation {
        id: next,
        kind,
        reason: r.reason.unwrap_or_default(),
        date: now,
    });
    let client = s.clientid;
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

fn get_cancelled_packages(
    w: &State,
    r: GetCancelledPackages,
) -> Result<GetCancelledPackagesResponse, GetCancelledPackagesError> {
    let rows: Vec<get_cancelled_packages::CancellationRequest> = w
        .orders
        .services
        .iter()
        .filter_map(|(id, s)| s.cancellation.as_ref().map(|c| (id, c)))
        .map(|(id, c)| get_cancelled_packages::CancellationRequest {
            id: Some(c.id),
            date: Some(c.date),
            relid: Some(id),
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
