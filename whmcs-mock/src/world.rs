//! The mock's memory: clients, orders, services, invoices and tickets, changed by the core actions
//! with the error messages WHMCS documents for them. Every other action answers its spec's
//! example, with ids and values taken from the request where the names match.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use whmcs_api::ActionInfo;

/// Today, as the mock reports it (fixed, so answers are reproducible).
const TODAY: &str = "2026-01-01";
const NOW: &str = "2026-01-01 12:00:00";

#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub(crate) struct State {
    last_id: i64,
    clients: BTreeMap<i64, Client>,
    orders: BTreeMap<i64, Order>,
    services: BTreeMap<i64, Service>,
    invoices: BTreeMap<i64, Invoice>,
    tickets: BTreeMap<i64, Ticket>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Client {
    firstname: String,
    lastname: String,
    companyname: String,
    email: String,
    address1: String,
    city: String,
    state: String,
    postcode: String,
    country: String,
    phonenumber: String,
    status: String,
    datecreated: String,
    groupid: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Order {
    userid: i64,
    status: String,
    date: String,
    amount: String,
    paymentmethod: String,
    invoiceid: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Service {
    clientid: i64,
    orderid: i64,
    pid: i64,
    domain: String,
    billingcycle: String,
    status: String,
    regdate: String,
    amount: String,
    paymentmethod: String,
    cancellation: Option<Cancellation>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Cancellation {
    id: i64,
    kind: String,
    reason: String,
    date: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Invoice {
    userid: i64,
    status: String,
    date: String,
    duedate: String,
    datepaid: String,
    paymentmethod: String,
    notes: String,
    items: Vec<Item>,
    payments: Vec<Payment>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Item {
    id: i64,
    description: String,
    amount: i64,
    taxed: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Payment {
    transid: String,
    gateway: String,
    amount: i64,
    date: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Ticket {
    tid: String,
    c: String,
    deptid: i64,
    userid: i64,
    name: String,
    email: String,
    subject: String,
    status: String,
    priority: String,
    date: String,
    lastreply: String,
    replies: Vec<Reply>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Reply {
    id: i64,
    userid: i64,
    name: String,
    email: String,
    admin: String,
    message: String,
    date: String,
}

/// Request parameters as the mock reads them.
struct P<'a>(&'a Map<String, Value>);

impl P<'_> {
    fn text(&self, key: &str) -> Option<String> {
        match self.0.get(key)? {
            Value::String(s) if !s.is_empty() => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(if *b { "1" } else { "0" }.into()),
            _ => None,
        }
    }

    fn str_or(&self, key: &str, default: &str) -> String {
        self.text(key).unwrap_or_else(|| default.to_string())
    }

    fn int(&self, key: &str) -> Option<i64> {
        self.text(key)?.trim().parse().ok()
    }

    fn flag(&self, key: &str) -> bool {
        self.text(key).is_some_and(|v| parse_bool(&v) == Some(true))
    }

    fn list(&self, key: &str) -> Vec<Value> {
        match self.0.get(key) {
            Some(Value::Array(a)) => a.clone(),
            Some(Value::Object(o)) => o.values().cloned().collect(),
            Some(Value::Null) | None => Vec::new(),
            Some(other) => vec![other.clone()],
        }
    }

    /// `limitstart` / `limitnum` (default 0 / 25).
    fn page(&self) -> (usize, usize) {
        let start = self.int("limitstart").unwrap_or(0).max(0);
        let num = self.int("limitnum").unwrap_or(25).max(0);
        (
            usize::try_from(start).unwrap_or(0),
            usize::try_from(num).unwrap_or(25),
        )
    }
}

/// The texts WHMCS takes for yes and no.
fn parse_bool(s: &str) -> Option<bool> {
    match s.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "on" | "yes" => Some(true),
        "0" | "false" | "off" | "no" | "" => Some(false),
        _ => None,
    }
}

/// Amounts are kept in cents, so sums are exact.
fn cents(text: &str) -> i64 {
    text.trim()
        .parse::<whmcs_api::Decimal>()
        .ok()
        .and_then(|d| d.checked_mul(whmcs_api::Decimal::ONE_HUNDRED))
        .and_then(|d| i64::try_from(d.trunc()).ok())
        .unwrap_or(0)
}

fn money(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", cents.abs() / 100, cents.abs() % 100)
}

/// A page of `rows` in the WHMCS list envelope: `{"totalresults", …, "<plural>": {"<singular>": […]}}`.
fn page(rows: Vec<Value>, (start, num): (usize, usize), plural: &str, singular: &str) -> Value {
    let total = rows.len();
    let items: Vec<Value> = rows.into_iter().skip(start).take(num).collect();
    json!({
        "result": "success",
        "totalresults": total,
        "startnumber": start,
        "numreturned": items.len(),
        plural: { singular: items },
    })
}

fn ok() -> Result<Value, String> {
    Ok(json!({"result": "success"}))
}

impl State {
    fn next_id(&mut self) -> i64 {
        self.last_id += 1;
        self.last_id
    }

    /// Answers one validated call.
    pub(crate) fn handle(
        &mut self,
        info: &ActionInfo,
        params: &Map<String, Value>,
    ) -> Result<Value, String> {
        let p = P(params);
        match info.name() {
            "AddClient" => self.add_client(&p),
            "GetClients" => Ok(self.get_clients(&p)),
            "GetClientsDetails" => self.get_clients_details(info, &p),
            "UpdateClient" => self.update_client(&p),
            "DeleteClient" => self.delete_client(&p),
            "CloseClient" => self.close_client(&p),
            "AddOrder" => self.add_order(&p),
            "AcceptOrder" => self.accept_order(&p),
            "GetOrders" => Ok(self.get_orders(&p)),
            "GetClientsProducts" => Ok(self.get_clients_products(&p)),
            "ModuleSuspend" => self.set_service_status(&p, "Suspended"),
            "ModuleUnsuspend" => self.set_service_status(&p, "Active"),
            "ModuleTerminate" => self.set_service_status(&p, "Terminated"),
            "AddCancelRequest" => self.add_cancel_request(&p),
            "GetCancelledPackages" => Ok(self.get_cancelled_packages(&p)),
            "CreateInvoice" => self.create_invoice(&p),
            "GetInvoice" => self.get_invoice(&p),
            "GetInvoices" => Ok(self.get_invoices(&p)),
            "AddInvoicePayment" => self.add_invoice_payment(&p),
            "UpdateInvoice" => self.update_invoice(&p),
            "OpenTicket" => self.open_ticket(&p),
            "GetTickets" => Ok(self.get_tickets(&p)),
            "GetTicket" => self.get_ticket(&p),
            "AddTicketReply" => self.add_ticket_reply(&p),
            _ => Ok(example_answer(info, params)),
        }
    }

    fn client(&self, id: Option<i64>) -> Result<(i64, &Client), String> {
        let id = id.unwrap_or(0);
        self.clients
            .get(&id)
            .map(|c| (id, c))
            .ok_or_else(|| "Client ID Not Found".to_string())
    }

    fn add_client(&mut self, p: &P<'_>) -> Result<Value, String> {
        let required = [
            ("firstname", "You did not enter your first name"),
            ("lastname", "You did not enter your last name"),
            ("email", "You did not enter your email address"),
        ];
        for (key, message) in required {
            if p.text(key).is_none() {
                return Err(message.into());
            }
        }
        let email = p.str_or("email", "");
        if !email.contains('@') {
            return Err("The email address you entered was not valid".into());
        }
        if self
            .clients
            .values()
            .any(|c| c.email.eq_ignore_ascii_case(&email))
        {
            return Err("A user already exists with that email address".into());
        }
        let id = self.next_id();
        self.clients.insert(
            id,
            Client {
                firstname: p.str_or("firstname", ""),
                lastname: p.str_or("lastname", ""),
                companyname: p.str_or("companyname", ""),
                email,
                address1: p.str_or("address1", ""),
                city: p.str_or("city", ""),
                state: p.str_or("state", ""),
                postcode: p.str_or("postcode", ""),
                country: p.str_or("country", "US"),
                phonenumber: p.str_or("phonenumber", ""),
                status: "Active".into(),
                datecreated: TODAY.into(),
                groupid: p.int("groupid").unwrap_or(0),
            },
        );
        Ok(json!({"result": "success", "clientid": id, "owner_id": id}))
    }

    fn client_row(id: i64, c: &Client) -> Value {
        json!({
            "id": id, "firstname": c.firstname, "lastname": c.lastname, "companyname": c.companyname,
            "email": c.email, "datecreated": c.datecreated, "groupid": c.groupid, "status": c.status,
        })
    }

    fn get_clients(&self, p: &P<'_>) -> Value {
        let search = p.text("search").map(|s| s.to_ascii_lowercase());
        let status = p.text("status");
        let rows = self
            .clients
            .iter()
            .filter(|(_, c)| {
                status
                    .as_ref()
                    .is_none_or(|s| c.status.eq_ignore_ascii_case(s))
            })
            .filter(|(_, c)| {
                search.as_ref().is_none_or(|s| {
                    [&c.firstname, &c.lastname, &c.companyname, &c.email]
                        .iter()
                        .any(|f| f.to_ascii_lowercase().contains(s.as_str()))
                })
            })
            .map(|(id, c)| Self::client_row(*id, c))
            .collect();
        page(rows, p.page(), "clients", "client")
    }

    fn get_clients_details(&self, info: &ActionInfo, p: &P<'_>) -> Result<Value, String> {
        let found = match (p.int("clientid"), p.text("email")) {
            (Some(id), _) => self.clients.get(&id).map(|c| (id, c)),
            (None, Some(email)) => self
                .clients
                .iter()
                .find(|(_, c)| c.email.eq_ignore_ascii_case(&email))
                .map(|(id, c)| (*id, c)),
            (None, None) => None,
        };
        let Some((id, c)) = found else {
            return Err("Client Not Found".into());
        };
        let mut answer = example_answer(info, p.0);
        if let Some(client) = answer.get_mut("client").and_then(Value::as_object_mut) {
            let name = format!("{} {}", c.firstname, c.lastname);
            for (k, v) in [
                ("client_id", json!(id)),
                ("userid", json!(id)),
                ("id", json!(id)),
                ("owner_user_id", json!(id)),
                ("firstname", json!(c.firstname)),
                ("lastname", json!(c.lastname)),
                ("fullname", json!(name)),
                ("companyname", json!(c.companyname)),
                ("email", json!(c.email)),
                ("address1", json!(c.address1)),
                ("city", json!(c.city)),
                ("state", json!(c.state)),
                ("postcode", json!(c.postcode)),
                ("country", json!(c.country)),
                ("countrycode", json!(c.country)),
                ("phonenumber", json!(c.phonenumber)),
                ("status", json!(c.status)),
                ("groupid", json!(c.groupid)),
            ] {
                client.insert(k.into(), v);
            }
            client.insert(
                "users".into(),
                json!({"user": [{"id": id, "name": name, "email": c.email, "is_owner": true}]}),
            );
        }
        Ok(answer)
    }

    fn update_client(&mut self, p: &P<'_>) -> Result<Value, String> {
        let id = p.int("clientid").unwrap_or(0);
        let email = p.text("email");
        if let Some(e) = &email
            && self
                .clients
                .iter()
                .any(|(other, c)| *other != id && c.email.eq_ignore_ascii_case(e))
        {
            return Err("Duplicate Email Address".into());
        }
        let c = self.clients.get_mut(&id).ok_or("Client ID Not Found")?;
        for (key, field) in [
            ("firstname", &mut c.firstname),
            ("lastname", &mut c.lastname),
            ("companyname", &mut c.companyname),
            ("address1", &mut c.address1),
            ("city", &mut c.city),
            ("state", &mut c.state),
            ("postcode", &mut c.postcode),
            ("country", &mut c.country),
            ("phonenumber", &mut c.phonenumber),
            ("status", &mut c.status),
        ] {
            if let Some(v) = p.text(key) {
                *field = v;
            }
        }
        if let Some(e) = email {
            c.email = e;
        }
        Ok(json!({"result": "success", "clientid": id}))
    }

    fn delete_client(&mut self, p: &P<'_>) -> Result<Value, String> {
        let id = p.int("clientid").unwrap_or(0);
        self.clients.remove(&id).ok_or("Client ID Not Found")?;
        self.services.retain(|_, s| s.clientid != id);
        self.orders.retain(|_, o| o.userid != id);
        self.invoices.retain(|_, i| i.userid != id);
        Ok(json!({"result": "success", "clientid": id}))
    }

    fn close_client(&mut self, p: &P<'_>) -> Result<Value, String> {
        let id = p.int("clientid").unwrap_or(0);
        let c = self.clients.get_mut(&id).ok_or("Client ID Not Found")?;
        c.status = "Closed".into();
        for s in self
            .services
            .values_mut()
            .filter(|s| s.clientid == id && s.status != "Terminated")
        {
            s.status = "Cancelled".into();
        }
        for i in self
            .invoices
            .values_mut()
            .filter(|i| i.userid == id && i.status == "Unpaid")
        {
            i.status = "Cancelled".into();
        }
        ok()
    }

    fn add_order(&mut self, p: &P<'_>) -> Result<Value, String> {
        let clientid = p.int("clientid").unwrap_or(0);
        let (_, c) = self.client(Some(clientid))?;
        if c.status == "Closed" {
            return Err("Unable to add order when client status is Closed".into());
        }
        let pids = p.list("pid");
        if pids.is_empty() {
            return Err("No items added to cart so order cannot proceed".into());
        }
        let paymentmethod = p.str_or("paymentmethod", "mailin");
        let (domains, cycles, prices) = (
            p.list("domain"),
            p.list("billingcycle"),
            p.list("priceoverride"),
        );
        let orderid = self.next_id();
        let invoiceid = if p.flag("noinvoice") {
            0
        } else {
            self.next_id()
        };
        let mut ids = Vec::new();
        let mut items = Vec::new();
        let mut total = 0;
        for (i, pid) in pids.iter().enumerate() {
            let text = |list: &[Value], default: &str| {
                list.get(i)
                    .and_then(|v| v.as_str().map(str::to_string))
                    .filter(|s| !s.is_empty())
                    .unwrap_or_else(|| default.to_string())
            };
            let amount = cents(&text(&prices, "10.00"));
            let id = self.next_id();
            let service = Service {
                clientid,
                orderid,
                pid: P(&Map::from_iter([("pid".to_string(), pid.clone())]))
                    .int("pid")
                    .unwrap_or(0),
                domain: text(&domains, ""),
                billingcycle: text(&cycles, "Monthly"),
                status: "Pending".into(),
                regdate: TODAY.into(),
                amount: money(amount),
                paymentmethod: paymentmethod.clone(),
                cancellation: None,
            };
            items.push(Item {
                id: self.next_id(),
                description: format!("Product #{} ({})", service.pid, service.billingcycle),
                amount,
                taxed: false,
            });
            total += amount;
            self.services.insert(id, service);
            ids.push(id.to_string());
        }
        self.orders.insert(
            orderid,
            Order {
                userid: clientid,
                status: "Pending".into(),
                date: NOW.into(),
                amount: money(total),
                paymentmethod: paymentmethod.clone(),
                invoiceid,
            },
        );
        if invoiceid > 0 {
            let invoice = Invoice {
                userid: clientid,
                status: "Unpaid".into(),
                date: TODAY.into(),
                duedate: TODAY.into(),
                datepaid: "0000-00-00 00:00:00".into(),
                paymentmethod,
                notes: String::new(),
                items,
                payments: Vec::new(),
            };
            self.invoices.insert(invoiceid, invoice);
        }
        Ok(
            json!({"result": "success", "orderid": orderid, "serviceids": ids.join(","), "addonids": "", "domainids": "", "invoiceid": invoiceid}),
        )
    }

    fn accept_order(&mut self, p: &P<'_>) -> Result<Value, String> {
        let id = p.int("orderid").unwrap_or(0);
        let order = self
            .orders
            .get_mut(&id)
            .filter(|o| o.status == "Pending")
            .ok_or("Order ID not found or Status not Pending")?;
        order.status = "Active".into();
        for s in self
            .services
            .values_mut()
            .filter(|s| s.orderid == id && s.status == "Pending")
        {
            s.status = "Active".into();
        }
        ok()
    }

    fn get_orders(&self, p: &P<'_>) -> Value {
        let (id, user, status) = (p.int("id"), p.int("userid"), p.text("status"));
        let rows = self
            .orders
            .iter()
            .filter(|(oid, o)| id.is_none_or(|i| i == **oid) && user.is_none_or(|u| u == o.userid))
            .filter(|(_, o)| status.as_ref().is_none_or(|s| o.status.eq_ignore_ascii_case(s)))
            .map(|(oid, o)| {
                let lineitems: Vec<Value> = self
                    .services
                    .iter()
                    .filter(|(_, s)| s.orderid == *oid)
                    .map(|(sid, s)| json!({"type": "product", "relid": sid, "producttype": "Other", "product": format!("Product #{}", s.pid), "domain": s.domain, "billingcycle": s.billingcycle, "amount": s.amount, "status": s.status}))
                    .collect();
                json!({
                    "id": oid, "ordernum": format!("{oid:010}"), "userid": o.userid, "date": o.date, "amount": o.amount,
                    "paymentmethod": o.paymentmethod, "invoiceid": o.invoiceid, "status": o.status,
                    "paymentstatus": self.invoices.get(&o.invoiceid).map_or("", |i| i.status.as_str()),
                    "lineitems": {"lineitem": lineitems},
                })
            })
            .collect();
        page(rows, p.page(), "orders", "order")
    }

    fn get_clients_products(&self, p: &P<'_>) -> Value {
        let (client, service, pid) = (p.int("clientid"), p.int("serviceid"), p.int("pid"));
        let rows: Vec<Value> = self
            .services
            .iter()
            .filter(|(id, s)| client.is_none_or(|c| c == s.clientid) && service.is_none_or(|x| x == **id) && pid.is_none_or(|x| x == s.pid))
            .map(|(id, s)| {
                json!({
                    "id": id, "clientid": s.clientid, "orderid": s.orderid, "pid": s.pid, "regdate": s.regdate,
                    "name": format!("Product #{}", s.pid), "domain": s.domain, "firstpaymentamount": s.amount,
                    "recurringamount": s.amount, "paymentmethod": s.paymentmethod, "billingcycle": s.billingcycle,
                    "nextduedate": s.regdate, "status": s.status,
                })
            })
            .collect();
        let mut answer = page(rows, p.page(), "products", "product");
        if let Some(map) = answer.as_object_mut() {
            map.insert("clientid".into(), json!(client.unwrap_or(0)));
        }
        answer
    }

    fn service_id(p: &P<'_>) -> Result<i64, String> {
        p.int("serviceid")
            .ok_or_else(|| "Service ID is required".to_string())
    }

    fn set_service_status(&mut self, p: &P<'_>, status: &str) -> Result<Value, String> {
        let id = Self::service_id(p)?;
        let s = self.services.get_mut(&id).ok_or("Service ID not found")?;
        s.status = status.into();
        ok()
    }

    fn add_cancel_request(&mut self, p: &P<'_>) -> Result<Value, String> {
        let id = p.int("serviceid").unwrap_or(0);
        if !self.services.contains_key(&id) {
            return Err("Service ID Not Found".into());
        }
        let cancel_id = self.next_id();
        let s = self.services.get_mut(&id).ok_or("Service ID Not Found")?;
        if s.cancellation.is_some() {
            return Err("Existing Cancellation Request Exists".into());
        }
        s.cancellation = Some(Cancellation {
            id: cancel_id,
            kind: p.str_or("type", "End of Billing Period"),
            reason: p.str_or("reason", ""),
            date: NOW.into(),
        });
        if p.text("type").as_deref() == Some("Immediate") {
            s.status = "Cancelled".into();
        }
        Ok(json!({"result": "success", "serviceid": id, "userid": s.clientid}))
    }

    fn get_cancelled_packages(&self, p: &P<'_>) -> Value {
        let rows = self
            .services
            .iter()
            .filter_map(|(id, s)| s.cancellation.as_ref().map(|c| (id, c)))
            .map(|(id, c)| json!({"id": c.id, "date": c.date, "relid": id, "reason": c.reason, "type": c.kind, "created_at": c.date, "updated_at": c.date}))
            .collect();
        page(rows, p.page(), "packages", "package")
    }

    fn create_invoice(&mut self, p: &P<'_>) -> Result<Value, String> {
        let userid = p.int("userid").unwrap_or(0);
        self.client(Some(userid))?;
        if p.flag("draft") && p.flag("sendinvoice") {
            return Err("Cannot create and send a draft invoice in a single API request. Please create and send separately.".into());
        }
        let mut items = Vec::new();
        for n in 1.. {
            let Some(description) = p.text(&format!("itemdescription{n}")) else {
                break;
            };
            let amount = cents(&p.str_or(&format!("itemamount{n}"), "0"));
            let taxed = p.flag(&format!("itemtaxed{n}"));
            items.push(Item {
                id: 0,
                description,
                amount,
                taxed,
            });
        }
        for item in &mut items {
            item.id = self.next_id();
        }
        let id = self.next_id();
        let status = if p.flag("draft") {
            "Draft".to_string()
        } else {
            p.str_or("status", "Unpaid")
        };
        let invoice = Invoice {
            userid,
            status: status.clone(),
            date: p.str_or("date", TODAY),
            duedate: p.str_or("duedate", TODAY),
            datepaid: "0000-00-00 00:00:00".into(),
            paymentmethod: p.str_or("paymentmethod", "mailin"),
            notes: p.str_or("notes", ""),
            items,
            payments: Vec::new(),
        };
        self.invoices.insert(id, invoice);
        Ok(json!({"result": "success", "invoiceid": id, "status": status}))
    }

    fn invoice_total(i: &Invoice) -> i64 {
        i.items.iter().map(|it| it.amount).sum()
    }

    fn invoice_row(id: i64, i: &Invoice) -> Value {
        let total = money(Self::invoice_total(i));
        json!({
            "id": id, "userid": i.userid, "firstname": "", "lastname": "", "companyname": "", "invoicenum": "",
            "date": i.date, "duedate": i.duedate, "datepaid": i.datepaid, "subtotal": total, "credit": "0.00",
            "tax": "0.00", "tax2": "0.00", "total": total, "taxrate": "0.000", "taxrate2": "0.000",
            "status": i.status, "paymentmethod": i.paymentmethod, "notes": i.notes,
            "currencycode": "USD", "currencyprefix": "$", "currencysuffix": " USD",
        })
    }

    fn get_invoices(&self, p: &P<'_>) -> Value {
        let (user, status) = (p.int("userid"), p.text("status"));
        let rows = self
            .invoices
            .iter()
            .filter(|(_, i)| user.is_none_or(|u| u == i.userid))
            .filter(|(_, i)| match status.as_deref() {
                None => true,
                Some("Overdue") => i.status == "Unpaid" && i.duedate.as_str() < TODAY,
                Some(s) => i.status.eq_ignore_ascii_case(s),
            })
            .map(|(id, i)| Self::invoice_row(*id, i))
            .collect();
        page(rows, p.page(), "invoices", "invoice")
    }

    fn get_invoice(&self, p: &P<'_>) -> Result<Value, String> {
        let id = p.int("invoiceid").unwrap_or(0);
        let i = self.invoices.get(&id).ok_or("Invoice ID Not Found")?;
        let total = Self::invoice_total(i);
        let paid: i64 = i.payments.iter().map(|p| p.amount).sum();
        let items: Vec<Value> = i.items.iter().map(|it| json!({"id": it.id, "type": "", "relid": 0, "description": it.description, "amount": money(it.amount), "taxed": i64::from(it.taxed)})).collect();
        let transactions: Vec<Value> = i.payments.iter().map(|t| json!({"transid": t.transid, "gateway": t.gateway, "amountin": money(t.amount), "date": t.date})).collect();
        Ok(json!({
            "result": "success", "invoiceid": id, "invoicenum": "", "userid": i.userid, "date": i.date,
            "duedate": i.duedate, "datepaid": i.datepaid, "subtotal": money(total), "credit": "0.00", "tax": "0.00",
            "tax2": "0.00", "total": money(total), "balance": money(total - paid), "taxrate": "0.00", "taxrate2": "0.00",
            "status": i.status, "paymentmethod": i.paymentmethod, "notes": i.notes,
            "items": {"item": items},
            "transactions": if transactions.is_empty() { json!("") } else { json!({"transaction": transactions}) },
        }))
    }

    fn add_invoice_payment(&mut self, p: &P<'_>) -> Result<Value, String> {
        let id = p.int("invoiceid").unwrap_or(0);
        let i = self.invoices.get_mut(&id).ok_or("Invoice ID Not Found")?;
        if i.status == "Cancelled" {
            return Err(
                "It is not possible to add a payment to an invoice that is Cancelled".into(),
            );
        }
        let total: i64 = i.items.iter().map(|it| it.amount).sum();
        let paid_before: i64 = i.payments.iter().map(|p| p.amount).sum();
        let amount = p.text("amount").map_or(total - paid_before, |a| cents(&a));
        let date = p.str_or("date", NOW);
        i.payments.push(Payment {
            transid: p.str_or("transid", ""),
            gateway: p.str_or("gateway", "mailin"),
            amount,
            date: date.clone(),
        });
        if paid_before + amount >= total {
            i.status = "Paid".into();
            i.datepaid = if date.len() == 10 {
                format!("{date} 00:00:00")
            } else {
                date
            };
        }
        ok()
    }

    fn update_invoice(&mut self, p: &P<'_>) -> Result<Value, String> {
        let id = p.int("invoiceid").unwrap_or(0);
        let next = self.last_id;
        let i = self.invoices.get_mut(&id).ok_or("Invoice ID Not Found")?;
        if let Some(status) = p.text("status") {
            const STATUSES: &[&str] = &[
                "Draft",
                "Unpaid",
                "Paid",
                "Cancelled",
                "Refunded",
                "Collections",
                "Payment Pending",
            ];
            if !STATUSES.contains(&status.as_str()) {
                return Err(format!("Invalid status {status}"));
            }
            i.status = status;
        }
        if p.flag("publish") || p.flag("publishandsendemail") {
            if i.status != "Draft" {
                return Err("Invoice must be in Draft status to be published".into());
            }
            i.status = "Unpaid".into();
        }
        for (key, field) in [
            ("paymentmethod", &mut i.paymentmethod),
            ("date", &mut i.date),
            ("duedate", &mut i.duedate),
            ("notes", &mut i.notes),
        ] {
            if let Some(v) = p.text(key) {
                *field = v;
            }
        }
        let (descriptions, amounts, taxed) = (
            p.list("newitemdescription"),
            p.list("newitemamount"),
            p.list("newitemtaxed"),
        );
        let mut id_counter = next;
        for (n, d) in descriptions.iter().enumerate() {
            id_counter += 1;
            let text = |v: Option<&Value>| {
                v.and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default()
            };
            i.items.push(Item {
                id: id_counter,
                description: text(Some(d)),
                amount: cents(&text(amounts.get(n))),
                taxed: parse_bool(&text(taxed.get(n))) == Some(true),
            });
        }
        let deleted: Vec<i64> = p
            .list("deletelineids")
            .iter()
            .filter_map(|v| v.as_str().and_then(|s| s.parse().ok()))
            .collect();
        i.items.retain(|it| !deleted.contains(&it.id));
        self.last_id = id_counter;
        Ok(json!({"result": "success", "invoiceid": id}))
    }

    fn open_ticket(&mut self, p: &P<'_>) -> Result<Value, String> {
        let deptid = p.int("deptid").unwrap_or(0);
        if deptid <= 0 {
            return Err("Department ID not found".into());
        }
        let subject = p.text("subject").ok_or("Subject is required")?;
        let message = p.text("message").ok_or("Message is required")?;
        let (userid, name, email) = match p.int("clientid") {
            Some(cid) => {
                let (_, c) = self.client(Some(cid))?;
                (
                    cid,
                    format!("{} {}", c.firstname, c.lastname),
                    c.email.clone(),
                )
            }
            None => match (p.text("name"), p.text("email")) {
                (Some(n), Some(e)) if e.contains('@') => (0, n, e),
                (Some(_), Some(_)) => return Err("Email Address Invalid".into()),
                _ => return Err("Name and email address are required if not a client".into()),
            },
        };
        let id = self.next_id();
        let tid = format!("MCK-{:06}", id * 7919 % 1_000_000);
        let c = format!("{:08x}", id.wrapping_mul(2_654_435_761) & 0xffff_ffff);
        let reply = Reply {
            id: self.next_id(),
            userid,
            name: name.clone(),
            email: email.clone(),
            admin: String::new(),
            message,
            date: NOW.into(),
        };
        self.tickets.insert(
            id,
            Ticket {
                tid: tid.clone(),
                c: c.clone(),
                deptid,
                userid,
                name,
                email,
                subject,
                status: "Open".into(),
                priority: p.str_or("priority", "Medium"),
                date: NOW.into(),
                lastreply: NOW.into(),
                replies: vec![reply],
            },
        );
        Ok(json!({"result": "success", "id": id, "tid": tid, "c": c}))
    }

    fn ticket_row(id: i64, t: &Ticket) -> Value {
        json!({
            "id": id, "tid": t.tid, "deptid": t.deptid, "userid": t.userid, "name": t.name, "email": t.email,
            "c": t.c, "date": t.date, "subject": t.subject, "status": t.status, "priority": t.priority,
            "lastreply": t.lastreply, "flag": 0,
        })
    }

    fn get_tickets(&self, p: &P<'_>) -> Value {
        let (client, dept, status) = (p.int("clientid"), p.int("deptid"), p.text("status"));
        let rows = self
            .tickets
            .iter()
            .filter(|(_, t)| {
                client.is_none_or(|c| c == t.userid) && dept.is_none_or(|d| d == t.deptid)
            })
            .filter(|(_, t)| match status.as_deref() {
                None => true,
                Some("All Active Tickets") => t.status != "Closed",
                Some(s) => t.status.eq_ignore_ascii_case(s),
            })
            .map(|(id, t)| Self::ticket_row(*id, t))
            .collect();
        page(rows, p.page(), "tickets", "ticket")
    }

    fn ticket_id(&self, p: &P<'_>) -> Option<i64> {
        match (p.int("ticketid"), p.text("ticketnum")) {
            (Some(id), _) => Some(id),
            (None, Some(num)) => self
                .tickets
                .iter()
                .find(|(_, t)| t.tid == num)
                .map(|(id, _)| *id),
            _ => None,
        }
    }

    fn get_ticket(&self, p: &P<'_>) -> Result<Value, String> {
        let id = self.ticket_id(p).unwrap_or(0);
        let t = self.tickets.get(&id).ok_or("Ticket ID Not Found")?;
        let mut replies: Vec<Value> = t
            .replies
            .iter()
            .map(|r| json!({"replyid": r.id, "userid": r.userid, "name": r.name, "email": r.email, "date": r.date, "message": r.message, "attachment": "", "attachments": [], "admin": r.admin}))
            .collect();
        if p.text("repliessort")
            .is_some_and(|s| s.eq_ignore_ascii_case("DESC"))
        {
            replies.reverse();
        }
        let mut answer = Self::ticket_row(id, t);
        if let Some(map) = answer.as_object_mut() {
            map.remove("id");
            map.insert("result".into(), json!("success"));
            map.insert("ticketid".into(), json!(id));
            map.insert("replies".into(), json!({"reply": replies}));
            map.insert("notes".into(), json!(""));
        }
        Ok(answer)
    }

    fn add_ticket_reply(&mut self, p: &P<'_>) -> Result<Value, String> {
        let id = p.int("ticketid").unwrap_or(0);
        if !self.tickets.contains_key(&id) {
            return Err("Ticket ID not found".into());
        }
        let message = p.text("message").ok_or("Message is required")?;
        let (userid, name, email, admin) = match (p.int("clientid"), p.text("adminusername")) {
            (Some(cid), _) => {
                let (_, c) = self.client(Some(cid))?;
                (
                    cid,
                    format!("{} {}", c.firstname, c.lastname),
                    c.email.clone(),
                    String::new(),
                )
            }
            (None, Some(admin)) => (0, String::new(), String::new(), admin),
            (None, None) => match (p.text("name"), p.text("email")) {
                (Some(n), Some(e)) => (0, n, e, String::new()),
                _ => (0, String::new(), String::new(), "API".into()),
            },
        };
        let reply_id = self.next_id();
        let t = self.tickets.get_mut(&id).ok_or("Ticket ID not found")?;
        t.replies.push(Reply {
            id: reply_id,
            userid,
            name,
            email,
            admin: admin.clone(),
            message,
            date: NOW.into(),
        });
        t.lastreply = NOW.into();
        t.status = match p.text("status") {
            Some(s) => s,
            None if admin.is_empty() => "Customer-Reply".into(),
            None => "Answered".into(),
        };
        ok()
    }
}

/// The spec's example answer, with the values of keys the request also names taken from it
/// (a request about client 7 is answered about client 7).
pub fn example_answer(info: &ActionInfo, params: &Map<String, Value>) -> Value {
    let mut answer: Value = info
        .example_response()
        .and_then(|e| serde_json::from_str(e).ok())
        .unwrap_or_else(|| json!({"result": "success"}));
    let Value::Object(map) = &mut answer else {
        return json!({"result": "success"});
    };
    if map.get("result").and_then(Value::as_str) != Some("success") {
        map.insert("result".into(), json!("success"));
        map.remove("message");
    }
    for (k, v) in map.iter_mut() {
        if k == "result" {
            continue;
        }
        if let Some(given) = params.get(k).filter(|g| !g.is_object() && !g.is_array())
            && !v.is_object()
            && !v.is_array()
        {
            *v = given.clone();
        }
    }
    if let (Some(id), Some(Value::Object(client))) = (params.get("clientid"), map.get_mut("client"))
    {
        for key in ["client_id", "userid", "id"] {
            if client.contains_key(key) {
                client.insert(key.into(), id.clone());
            }
        }
    }
    answer
}

/// Every error message the mock's own rules answer with, by action: each is documented on the
/// action's reference page (checked by a test).
pub const DOCUMENTED_MESSAGES: &[(&str, &str)] = &[
    ("AddClient", "You did not enter your first name"),
    ("AddClient", "You did not enter your last name"),
    ("AddClient", "You did not enter your email address"),
    ("AddClient", "The email address you entered was not valid"),
    ("AddClient", "A user already exists with that email address"),
    ("UpdateClient", "Client ID Not Found"),
    ("UpdateClient", "Duplicate Email Address"),
    ("DeleteClient", "Client ID Not Found"),
    ("CloseClient", "Client ID Not Found"),
    ("AddOrder", "Client ID Not Found"),
    (
        "AddOrder",
        "Unable to add order when client status is Closed",
    ),
    ("AddOrder", "No items added to cart so order cannot proceed"),
    ("AcceptOrder", "Order ID not found or Status not Pending"),
    ("ModuleSuspend", "Service ID is required"),
    ("ModuleSuspend", "Service ID not found"),
    ("ModuleUnsuspend", "Service ID not found"),
    ("ModuleTerminate", "Service ID not found"),
    ("AddCancelRequest", "Service ID Not Found"),
    ("AddCancelRequest", "Existing Cancellation Request Exists"),
    ("CreateInvoice", "Client ID Not Found"),
    (
        "CreateInvoice",
        "Cannot create and send a draft invoice in a single API request. Please create and send separately.",
    ),
    ("GetInvoice", "Invoice ID Not Found"),
    ("AddInvoicePayment", "Invoice ID Not Found"),
    (
        "AddInvoicePayment",
        "It is not possible to add a payment to an invoice that is Cancelled",
    ),
    ("UpdateInvoice", "Invoice ID Not Found"),
    (
        "UpdateInvoice",
        "Invoice must be in Draft status to be published",
    ),
    ("OpenTicket", "Client ID Not Found"),
    ("OpenTicket", "Department ID not found"),
    ("OpenTicket", "Subject is required"),
    ("OpenTicket", "Message is required"),
    (
        "OpenTicket",
        "Name and email address are required if not a client",
    ),
    ("OpenTicket", "Email Address Invalid"),
    ("AddTicketReply", "Ticket ID not found"),
    ("AddTicketReply", "Client ID Not Found"),
    ("AddTicketReply", "Message is required"),
    ("GetClientsDetails", "Client Not Found"),
];
