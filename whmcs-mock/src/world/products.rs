//! The catalogue: product groups, products, product addons, promotions, the TLDs for sale and the
//! servers services are provisioned on, with the actions that read and extend it.
//!
//! A fresh installation has one product group ("Hosting"), product 1 ("Starter Hosting", cPanel,
//! 10.00 a month), one product addon ("Daily Backups"), one cPanel server, .com, .net, .org
//! and .info for sale, and the custom fields and configurable options `fields.rs` lists. WHMCS
//! has no API to add promotions, addons, servers, custom fields or configurable options: seed
//! them (their JSON is the struct's fields, any left out take their defaults).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use whmcs_api::actions::orders::{get_products, get_promotions};
use whmcs_api::actions::servers::{get_health_status, get_servers};
use whmcs_api::actions::{
    AddProduct, AddProductError, AddProductResponse, BillingCycle, GetHealthStatus,
    GetHealthStatusError, GetHealthStatusResponse, GetProducts, GetProductsError,
    GetProductsResponse, GetPromotions, GetPromotionsError, GetPromotionsResponse, GetServers,
    GetServersError, GetServersResponse, ServiceStatus,
};
use whmcs_api::{Date, Decimal};

use super::dates::{self, add_days};
use super::fields::{self, ConfigOption, CustomField};
use super::registry::Registry;
use super::{State, Table};

/// The catalogue tables.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct Catalogue {
    pub(crate) groups: Table<ProductGroup>,
    pub(crate) products: Table<Product>,
    /// Product addons clients can order with a service (WHMCS's `tbladdons`).
    pub(crate) addons: Table<AddonDef>,
    pub(crate) promotions: Table<Promotion>,
    pub(crate) tlds: Table<Tld>,
    pub(crate) servers: Table<Server>,
    /// Custom field definitions, of clients and of products.
    pub(crate) customfields: Table<CustomField>,
    /// Configurable options, with the products they are offered with.
    pub(crate) configoptions: Table<ConfigOption>,
}

/// A product group, as the order form lists products.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct ProductGroup {
    pub(crate) name: String,
    pub(crate) hidden: bool,
}

/// A product clients can order.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct Product {
    pub(crate) gid: i64,
    pub(crate) name: String,
    /// `hostingaccount`, `reselleraccount`, `server` or `other`.
    #[serde(rename = "type")]
    pub(crate) kind: String,
    pub(crate) slug: String,
    pub(crate) description: String,
    /// The provisioning module (`cpanel`…); empty for none.
    pub(crate) module: String,
    /// `free`, `onetime` or `recurring`.
    pub(crate) paytype: String,
    /// When services are provisioned: empty (by hand), `on` (order accepted), `order`, `payment`.
    pub(crate) autosetup: String,
    pub(crate) hidden: bool,
    pub(crate) tax: bool,
    pub(crate) stockcontrol: bool,
    pub(crate) qty: i64,
    pub(crate) welcomeemail: i64,
    pub(crate) servergroupid: i64,
    pub(crate) color: String,
    pub(crate) tagline: String,
    pub(crate) shortdescription: String,
    pub(crate) featured: bool,
    pub(crate) showdomainoptions: bool,
    pub(crate) proratabilling: bool,
    pub(crate) order: i64,
    /// Prices by currency id, then WHMCS's cycle key (`monthly`, `msetupfee`, …); -1 for a cycle
    /// not offered, a missing key likewise.
    pub(crate) pricing: BTreeMap<i64, BTreeMap<String, Decimal>>,
    /// Products recommended with it, in order.
    pub(crate) recommendations: Vec<i64>,
}

/// A product addon definition.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct AddonDef {
    pub(crate) name: String,
    pub(crate) description: String,
    /// As answers spell cycles (`Monthly`, `Annually`, `Free Account`, …).
    pub(crate) billingcycle: String,
    pub(crate) setupfee: Decimal,
    pub(crate) recurring: Decimal,
    /// Products it can be ordered with; empty for all.
    pub(crate) packages: Vec<i64>,
    pub(crate) tax: bool,
}

/// A promotion code, with the fields GetPromotions answers.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct Promotion {
    pub(crate) code: String,
    /// `Percentage`, `Fixed Amount`, `Price Override` or `Free Setup`.
    #[serde(rename = "type")]
    pub(crate) kind: String,
    /// Whether renewals are discounted too.
    pub(crate) recurring: bool,
    pub(crate) value: Decimal,
    /// Cycles it covers (answer spelling); empty for all.
    pub(crate) cycles: Vec<String>,
    /// Products it discounts; empty for none unless `promooverride` is sent.
    pub(crate) appliesto: Vec<i64>,
    /// Products the cart must hold.
    pub(crate) requires: Vec<i64>,
    pub(crate) requiresexisting: bool,
    pub(crate) startdate: Option<Date>,
    pub(crate) expirationdate: Option<Date>,
    /// 0 for unlimited.
    pub(crate) maxuses: i64,
    pub(crate) uses: i64,
    pub(crate) lifetimepromo: bool,
    pub(crate) applyonce: bool,
    pub(crate) newsignups: bool,
    pub(crate) existingclient: bool,
    pub(crate) onceperclient: bool,
    pub(crate) recurfor: i64,
    pub(crate) upgrades: bool,
    pub(crate) notes: String,
}

/// A server services are provisioned on.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct Server {
    pub(crate) name: String,
    pub(crate) hostname: String,
    pub(crate) ipaddress: String,
    /// The server module (`cpanel`…).
    pub(crate) module: String,
    pub(crate) maxaccounts: i64,
    /// The default server for its module.
    pub(crate) active: bool,
    pub(crate) disabled: bool,
}

/// WHMCS's pricing keys of a cycle: the price and the setup fee.
pub(crate) fn cycle_keys(cycle: &BillingCycle) -> (&'static str, &'static str) {
    match cycle {
        BillingCycle::Quarterly => ("quarterly", "qsetupfee"),
        BillingCycle::SemiAnnually => ("semiannually", "ssetupfee"),
        BillingCycle::Annually => ("annually", "asetupfee"),
        BillingCycle::Biennially => ("biennially", "bsetupfee"),
        BillingCycle::Triennially => ("triennially", "tsetupfee"),
        // One-time products are priced in the monthly column.
        _ => ("monthly", "msetupfee"),
    }
}

/// The recurring cycles, shortest first.
pub(crate) const CYCLES: [BillingCycle; 6] = [
    BillingCycle::Monthly,
    BillingCycle::Quarterly,
    BillingCycle::SemiAnnually,
    BillingCycle::Annually,
    BillingCycle::Biennially,
    BillingCycle::Triennially,
];

/// The currency every price of the mock is in.
pub(crate) const CURRENCY: i64 = 1;

/// An amount as WHMCS stores one: two decimals, within its `decimal(16,2)` money columns (so
/// sums of amounts never overflow).
pub(crate) fn amount(d: Decimal) -> Decimal {
    let max = Decimal::new(9_999_999_999_999_999, 2);
    d.clamp(-max, max).round_dp(2)
}

/// `d` times `n`, as a stored amount.
pub(crate) fn times(d: Decimal, n: i64) -> Decimal {
    amount(d.saturating_mul(Decimal::from(n)))
}

impl Product {
    fn column(&self, key: &str) -> Option<Decimal> {
        self.pricing
            .get(&CURRENCY)
            .and_then(|p| p.get(key))
            .copied()
            .filter(|v| *v >= Decimal::ZERO)
    }

    /// The price of one `cycle` (0 for free products), `None` when it is not offered.
    pub(crate) fn price(&self, cycle: &BillingCycle) -> Option<Decimal> {
        match (self.paytype.as_str(), cycle) {
            ("free", _) | (_, BillingCycle::FreeAccount) => Some(Decimal::ZERO),
            _ => self.column(cycle_keys(cycle).0),
        }
    }

    /// The setup fee of `cycle`.
    pub(crate) fn setup_fee(&self, cycle: &BillingCycle) -> Decimal {
        match self.paytype.as_str() {
            "free" => Decimal::ZERO,
            _ => self.column(cycle_keys(cycle).1).unwrap_or_default(),
        }
    }

    /// The cycle a service of it is billed on when `asked` for one: free and one-time products
    /// have their own, a recurring product the cycle asked for when offered, else its shortest.
    pub(crate) fn cycle_for(&self, asked: Option<BillingCycle>) -> BillingCycle {
        match self.paytype.as_str() {
            "free" => BillingCycle::FreeAccount,
            "onetime" => BillingCycle::OneTime,
            _ => asked
                .filter(|c| dates::recurs(c) && self.price(c).is_some())
                .or_else(|| CYCLES.iter().find(|c| self.price(c).is_some()).cloned())
                .unwrap_or(BillingCycle::Monthly),
        }
    }
}

impl Catalogue {
    /// A fresh installation's catalogue.
    pub(crate) fn fresh() -> Self {
        let mut c = Self::default();
        c.groups.insert(ProductGroup {
            name: "Hosting".into(),
            hidden: false,
        });
        let monthly = Decimal::new(1000, 2);
        let prices = CYCLES
            .iter()
            .flat_map(|cycle| {
                let (price, setup) = cycle_keys(cycle);
                [
                    (
                        price.to_string(),
                        monthly * Decimal::from(dates::months(cycle)),
                    ),
                    (setup.to_string(), Decimal::ZERO),
                ]
            })
            .collect();
        c.products.insert(Product {
            gid: 1,
            name: "Starter Hosting".into(),
            kind: "hostingaccount".into(),
            slug: "starter-hosting".into(),
            description: "One website, 10 GB of disk.".into(),
            module: "cpanel".into(),
            paytype: "recurring".into(),
            autosetup: String::new(),
            pricing: BTreeMap::from([(CURRENCY, prices)]),
            ..Product::default()
        });
        c.addons.insert(AddonDef {
            name: "Daily Backups".into(),
            description: "A copy of the account every night.".into(),
            billingcycle: "Monthly".into(),
            setupfee: Decimal::ZERO,
            recurring: Decimal::new(200, 2),
            packages: vec![1],
            tax: false,
        });
        c.servers.insert(Server {
            name: "Main cPanel Server".into(),
            hostname: "server1.example.net".into(),
            ipaddress: "192.0.2.10".into(),
            module: "cpanel".into(),
            maxaccounts: 200,
            active: true,
            disabled: false,
        });
        for (ext, cents) in [
            (".com", 1295),
            (".net", 1495),
            (".org", 1395),
            (".info", 995),
        ] {
            c.tlds.insert(Tld::fresh(ext, Decimal::new(cents, 2)));
        }
        c.customfields = fields::fresh_fields();
        c.configoptions = fields::fresh_options();
        c
    }

    /// Whether record `id` of a kind the catalogue keeps exists.
    pub(crate) fn exists(&self, entity: &str, id: i64) -> Option<bool> {
        match entity {
            "product" => Some(self.products.contains(id)),
            "product_group" => Some(self.groups.contains(id)),
            "addon" => Some(self.addons.contains(id)),
            "promotion" => Some(self.promotions.contains(id)),
            "server" => Some(self.servers.contains(id)),
            "tld" => Some(self.tlds.contains(id)),
            "customfield" => Some(self.customfields.contains(id)),
            "configoption" => Some(self.configoptions.contains(id)),
            _ => None,
        }
    }

    /// The product's name, or a stand-in for one since deleted.
    pub(crate) fn product_name(&self, pid: i64) -> String {
        self.products
            .get(pid)
            .map_or_else(|| format!("Product #{pid}"), |p| p.name.clone())
    }

    /// The product's group name (empty when unknown).
    pub(crate) fn group_name(&self, pid: i64) -> String {
        self.products
            .get(pid)
            .and_then(|p| self.groups.get(p.gid))
            .map(|g| g.name.clone())
            .unwrap_or_default()
    }

    /// The product's module (empty when none or unknown).
    pub(crate) fn module_of(&self, pid: i64) -> String {
        self.products
            .get(pid)
            .map(|p| p.module.clone())
            .unwrap_or_default()
    }

    /// The server new accounts of `module` go to: the module's default, else its first enabled.
    pub(crate) fn server_for(&self, module: &str) -> Option<i64> {
        let candidates = || {
            self.servers
                .iter()
                .filter(move |(_, s)| !s.disabled && s.module.eq_ignore_ascii_case(module))
        };
        candidates()
            .find(|(_, s)| s.active)
            .or_else(|| candidates().next())
            .map(|(id, _)| id)
    }

    /// The promotion with this code (any case).
    pub(crate) fn promotion(&self, code: &str) -> Option<(i64, &Promotion)> {
        self.promotions
            .iter()
            .find(|(_, p)| p.code.eq_ignore_ascii_case(code))
    }
}

/// Registers the catalogue actions.
pub(crate) fn register(r: &mut Registry) {
    r.on::<AddProduct>(add_product);
    r.read::<GetProducts>(get_products);
    r.read::<GetPromotions>(get_promotions);
    r.read::<GetServers>(get_servers);
    r.read::<GetHealthStatus>(get_health_status);
}

/// Whether `s` is a colour as WHMCS takes one: `#` and three or six hex digits.
fn is_hex_colour(s: &str) -> bool {
    s.strip_prefix('#')
        .is_some_and(|h| matches!(h.len(), 3 | 6) && h.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The slug WHMCS makes of a name: lower case, words joined by hyphens.
fn slug(name: &str) -> String {
    name.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

/// AddProduct: a new product in an existing group, with its prices by currency and cycle.
fn add_product(w: &mut State, r: AddProduct) -> Result<AddProductResponse, AddProductError> {
    if r.name.trim().is_empty() {
        return Err(AddProductError::NameRequired);
    }
    if !w.catalogue.groups.contains(r.gid) {
        return Err(AddProductError::InvalidProductGroup);
    }
    if let Some(color) = r.color.as_deref().filter(|c| !c.is_empty())
        && !is_hex_colour(color)
    {
        return Err(AddProductError::InvalidColor);
    }
    let mut recommendations: Vec<(i64, i64)> = Vec::new();
    for rec in &r.recommendations {
        let id = rec.id.unwrap_or(0);
        if !w.catalogue.products.contains(id) {
            return Err(AddProductError::InvalidRecommendation);
        }
        recommendations.push((rec.order.unwrap_or(0), id));
    }
    recommendations.sort();
    let pricing = r
        .pricing
        .iter()
        .filter_map(|(currency, cycles)| {
            let currency = currency.trim().parse::<i64>().ok()?;
            let cycles = cycles
                .iter()
                .map(|(k, v)| (k.to_ascii_lowercase(), amount(*v)))
                .collect();
            Some((currency, cycles))
        })
        .collect();
    let paytype = r
        .paytype
        .map_or_else(|| "free".to_string(), |p| p.to_string());
    let product = Product {
        gid: r.gid,
        slug: r
            .slug
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| slug(&r.name)),
        name: r.name,
        kind: r
            .type_value
            .map_or_else(|| "other".to_string(), |t| t.to_string()),
        description: r.description.unwrap_or_default(),
        module: r.module.unwrap_or_default(),
        paytype,
        autosetup: r.autosetup.map(|a| a.to_string()).unwrap_or_default(),
        hidden: r.hidden.unwrap_or(false),
        tax: r.tax.unwrap_or(false),
        stockcontrol: r.stockcontrol.unwrap_or(false),
        qty: r.qty.unwrap_or(0),
        welcomeemail: r.welcomeemail.unwrap_or(0),
        servergroupid: r.servergroupid.unwrap_or(0),
        color: r.color.unwrap_or_default(),
        tagline: r.tagline.unwrap_or_default(),
        shortdescription: r.shortdescription.unwrap_or_default(),
        featured: r.is_featured.unwrap_or(false),
        showdomainoptions: r.showdomainoptions.unwrap_or(false),
        proratabilling: r.proratabilling.unwrap_or(false),
        order: r.order.unwrap_or(0),
        pricing,
        recommendations: recommendations.into_iter().map(|(_, id)| id).collect(),
    };
    let pid = w.catalogue.products.insert(product);
    w.log(0, format!("Product Created - Product ID: {pid}"));
    Ok(AddProductResponse {
        pid,
        ..Default::default()
    })
}

/// A product's prices as GetProducts answers them (-1.00 for cycles not offered).
fn pricing_row(p: &Product) -> get_products::ProductPricing {
    let col = |key: &str| {
        Some(
            p.pricing
                .get(&CURRENCY)
                .and_then(|c| c.get(key))
                .copied()
                .unwrap_or(Decimal::NEGATIVE_ONE)
                .round_dp(2),
        )
    };
    let fee = |key: &str| col(key).map(|v| v.max(Decimal::ZERO));
    get_products::ProductPricing {
        prefix: Some("$".into()),
        suffix: Some(" USD".into()),
        msetupfee: fee("msetupfee"),
        qsetupfee: fee("qsetupfee"),
        ssetupfee: fee("ssetupfee"),
        asetupfee: fee("asetupfee"),
        bsetupfee: fee("bsetupfee"),
        tsetupfee: fee("tsetupfee"),
        monthly: col("monthly"),
        quarterly: col("quarterly"),
        semiannually: col("semiannually"),
        annually: col("annually"),
        biennially: col("biennially"),
        triennially: col("triennially"),
        ..Default::default()
    }
}

/// The custom fields of product `pid` as GetProducts lists them.
fn product_fields(w: &State, pid: i64) -> Vec<get_products::ProductCustomField> {
    fields::fields_of(&w.catalogue.customfields, Some(pid))
        .map(|(id, f)| get_products::ProductCustomField {
            id: Some(id),
            name: Some(f.name.clone()),
            description: Some(f.description.clone()),
            required: Some(if f.required { "on" } else { "" }.into()),
            ..Default::default()
        })
        .collect()
}

/// The configurable options of product `pid` as GetProducts lists them, without prices (the
/// mock does not model what options cost).
fn product_options(w: &State, pid: i64) -> Vec<get_products::ConfigOption> {
    fields::options_of(&w.catalogue.configoptions, pid)
        .map(|(id, o)| get_products::ConfigOption {
            id: Some(id),
            name: Some(o.name.clone()),
            option_type: Some(o.kind),
            minqty: Some(o.minqty),
            maxqty: Some(o.maxqty),
            options: o
                .choices
                .iter()
                .map(|c| get_products::ConfigOptionChoice {
                    id: Some(c.id),
                    name: Some(c.name.clone()),
                    ..Default::default()
                })
                .collect(),
            ..Default::default()
        })
        .collect()
}

/// GetProducts: the products matching the id list, group and module filters.
fn get_products(w: &State, r: GetProducts) -> Result<GetProductsResponse, GetProductsError> {
    let pids: Option<Vec<i64>> = r.pid.as_deref().filter(|p| !p.trim().is_empty()).map(|p| {
        p.split(',')
            .filter_map(|id| id.trim().parse().ok())
            .collect()
    });
    let products: Vec<get_products::Product> = w
        .catalogue
        .products
        .iter()
        .filter(|(id, p)| {
            pids.as_ref().is_none_or(|ids| ids.contains(id))
                && r.gid.is_none_or(|g| g == p.gid)
                && r.module
                    .as_deref()
                    .filter(|m| !m.is_empty())
                    .is_none_or(|m| m.eq_ignore_ascii_case(&p.module))
        })
        .map(|(id, p)| get_products::Product {
            pid: Some(id),
            gid: Some(p.gid),
            product_type: p.kind.parse().ok(),
            name: Some(p.name.clone()),
            slug: Some(p.slug.clone()),
            product_url: Some(format!("https://www.example.com/store/{}", p.slug)),
            description: Some(p.description.clone()),
            module: Some(p.module.clone()),
            paytype: p.paytype.parse().ok(),
            allowqty: Some(0),
            quantity_available: Some(if p.stockcontrol { p.qty } else { 0 }),
            pricing: [("USD".to_string(), pricing_row(p))].into_iter().collect(),
            customfields: product_fields(w, id),
            configoptions: product_options(w, id),
            ..Default::default()
        })
        .collect();
    let total = products.len() as i64;
    Ok(GetProductsResponse {
        totalresults: Some(total),
        startnumber: Some(0),
        numreturned: Some(total),
        products,
        ..Default::default()
    })
}

/// GetPromotions: every promotion, or the one with `code`.
fn get_promotions(
    w: &State,
    r: GetPromotions,
) -> Result<GetPromotionsResponse, GetPromotionsError> {
    let join = |ids: &[i64]| {
        ids.iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(",")
    };
    let promotions: Vec<get_promotions::Promotion> = w
        .catalogue
        .promotions
        .iter()
        .filter(|(_, p)| {
            r.code
                .as_deref()
                .filter(|c| !c.is_empty())
                .is_none_or(|c| c.eq_ignore_ascii_case(&p.code))
        })
        .map(|(id, p)| get_promotions::Promotion {
            id: Some(id),
            code: Some(p.code.clone()),
            discount_type: p.kind.parse().ok(),
            recurring: Some(p.recurring),
            value: Some(p.value),
            cycles: Some(p.cycles.join(",")),
            appliesto: Some(join(&p.appliesto)),
            requires: Some(join(&p.requires)),
            requiresexisting: Some(p.requiresexisting),
            startdate: p.startdate,
            expirationdate: p.expirationdate,
            maxuses: Some(p.maxuses),
            uses: Some(p.uses),
            lifetimepromo: Some(p.lifetimepromo),
            applyonce: Some(p.applyonce),
            newsignups: Some(p.newsignups),
            existingclient: Some(p.existingclient),
            onceperclient: Some(p.onceperclient),
            recurfor: Some(p.recurfor),
            upgrades: Some(p.upgrades),
            notes: Some(p.notes.clone()),
            ..Default::default()
        })
        .collect();
    Ok(GetPromotionsResponse {
        totalresults: Some(promotions.len() as i64),
        promotions,
        ..Default::default()
    })
}

/// Services and addons a server holds that count against its capacity.
fn server_load(w: &State, server: i64) -> i64 {
    let live = |s: &ServiceStatus| matches!(s, ServiceStatus::Active | ServiceStatus::Suspended);
    w.orders
        .services
        .iter()
        .filter(|(_, s)| s.serverid == server && live(&s.status))
        .count() as i64
}

/// GetServers: the enabled servers by name, with their load; only those of a service's or
/// addon's module when one is named.
fn get_servers(w: &State, r: GetServers) -> Result<GetServersResponse, GetServersError> {
    let module = match (r.service_id, r.addon_id) {
        (Some(sid), _) => Some(
            w.orders
                .services
                .get(sid)
                .map(|s| w.catalogue.module_of(s.pid))
                .unwrap_or_default(),
        ),
        (None, Some(aid)) => Some(
            w.orders
                .addons
                .get(aid)
                .and_then(|a| w.orders.services.get(a.serviceid))
                .map(|s| w.catalogue.module_of(s.pid))
                .unwrap_or_default(),
        ),
        (None, None) => None,
    };
    let fetch = r.fetch_status.unwrap_or(false);
    let mut servers: Vec<get_servers::Server> = w
        .catalogue
        .servers
        .iter()
        .filter(|(_, s)| !s.disabled)
        .filter(|(_, s)| {
            module
                .as_deref()
                .is_none_or(|m| s.module.eq_ignore_ascii_case(m))
        })
        .map(|(id, s)| {
            let load = server_load(w, id);
            let percent = if s.maxaccounts > 0 {
                (load as f64) * 100.0 / (s.maxaccounts as f64)
            } else {
                0.0
            };
            get_servers::Server {
                id: Some(id),
                name: Some(s.name.clone()),
                hostname: Some(s.hostname.clone()),
                ipaddress: Some(s.ipaddress.clone()),
                active: Some(s.active),
                active_services: Some(load),
                max_allowed_services: Some(s.maxaccounts),
                percent_used: Some((percent * 100.0).round() / 100.0),
                module: Some(s.module.clone()),
                status: fetch.then(|| get_servers::ServerStatus {
                    http: Some(true),
                    load: Some("0.00".into()),
                    uptime: Some("up".into()),
                    ..Default::default()
                }),
                ..Default::default()
            }
        })
        .collect();
    servers.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(GetServersResponse {
        servers,
        fetch_status: Some(fetch),
        ..Default::default()
    })
}

/// One health check result.
fn check(name: &str, kind: &str, level: &str, body: String) -> get_health_status::HealthCheck {
    get_health_status::HealthCheck {
        name: Some(name.into()),
        check_type: Some(kind.into()),
        severity_level: Some(level.into()),
        body: Some(body),
        ..Default::default()
    }
}

/// The installation's health, from its state: the cron, gateways, registrars, servers' load and
/// the module queue.
fn get_health_status(
    w: &State,
    _: GetHealthStatus,
) -> Result<GetHealthStatusResponse, GetHealthStatusError> {
    let mut checks = get_health_status::HealthChecks::default();
    let today = w.today();
    match w.automation.last_run {
        Some(run) if add_days(run.date(), 1) >= today => checks.success.push(check(
            "CronStatus",
            "cron",
            "info",
            format!("The daily cron last ran at {run}."),
        )),
        Some(run) => checks.danger.push(check(
            "CronStatus",
            "cron",
            "error",
            format!("The daily cron has not run since {run}."),
        )),
        None => checks.warning.push(check(
            "CronStatus",
            "cron",
            "warning",
            "The daily cron has never run.".into(),
        )),
    }
    let gateways = w.modules.active_names("gateway");
    if gateways.is_empty() {
        checks.danger.push(check(
            "PaymentGateways",
            "configuration",
            "error",
            "No payment gateway is active.".into(),
        ));
    } else {
        checks.success.push(check(
            "PaymentGateways",
            "configuration",
            "info",
            format!("Active payment gateways: {}.", gateways.join(", ")),
        ));
    }
    let registrars = w.modules.active_names("registrar");
    if registrars.is_empty() {
        checks.warning.push(check(
            "DomainRegistrars",
            "configuration",
            "warning",
            "No domain registrar is active.".into(),
        ));
    } else {
        checks.success.push(check(
            "DomainRegistrars",
            "configuration",
            "info",
            format!("Active registrars: {}.", registrars.join(", ")),
        ));
    }
    for (id, s) in w.catalogue.servers.iter().filter(|(_, s)| !s.disabled) {
        let load = server_load(w, id);
        if s.maxaccounts > 0 && load.saturating_mul(10) >= s.maxaccounts.saturating_mul(9) {
            checks.warning.push(check(
                "ServerCapacity",
                "servers",
                "warning",
                format!("{} holds {load} of {} accounts.", s.name, s.maxaccounts),
            ));
        }
    }
    let url = w.system.setting("SystemURL");
    if url.is_empty() {
        checks.danger.push(check(
            "SystemUrl",
            "configuration",
            "error",
            "The System URL is not set.".into(),
        ));
    } else if !url.starts_with("https://") {
        checks.warning.push(check(
            "SystemUrl",
            "configuration",
            "warning",
            format!("The System URL {url} does not use HTTPS."),
        ));
    }
    let queued = w.modules.queue.iter().filter(|(_, q)| !q.completed).count();
    if queued > 0 {
        checks.warning.push(check(
            "ModuleQueue",
            "modules",
            "warning",
            format!("{queued} failed module actions are waiting in the module queue."),
        ));
    }
    Ok(GetHealthStatusResponse {
        checks: Some(checks),
        ..Default::default()
    })
}

/// A TLD for sale.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct Tld {
    /// With its leading dot: `.com`.
    pub(crate) extension: String,
    /// Prices by years.
    pub(crate) register: BTreeMap<u32, Decimal>,
    pub(crate) renew: BTreeMap<u32, Decimal>,
    pub(crate) transfer: BTreeMap<u32, Decimal>,
    pub(crate) dns_management: bool,
    pub(crate) email_forwarding: bool,
    pub(crate) id_protection: bool,
    pub(crate) epp_required: bool,
    /// The registrar domains of it are registered with; empty for none.
    pub(crate) auto_registrar: String,
    /// `hot`, `new`, `sale` or empty.
    pub(crate) group: String,
    pub(crate) categories: Vec<String>,
    pub(crate) grace_period_days: i64,
    /// -1 when there is no grace period.
    pub(crate) grace_period_fee: Decimal,
    pub(crate) redemption_period_days: i64,
    /// -1 when there is no redemption period.
    pub(crate) redemption_period_fee: Decimal,
}

impl Tld {
    /// A fresh installation's TLD, at `price` a year, registered with eNom.
    pub(crate) fn fresh(extension: &str, price: Decimal) -> Self {
        let years = |n: u32| (1..=n).map(|y| (y, price * Decimal::from(y))).collect();
        Self {
            extension: extension.into(),
            register: years(10),
            renew: years(9),
            transfer: [(1, price)].into_iter().collect(),
            dns_management: true,
            email_forwarding: true,
            id_protection: true,
            epp_required: true,
            auto_registrar: "enom".into(),
            group: String::new(),
            categories: vec!["Popular".into()],
            grace_period_days: 0,
            grace_period_fee: Decimal::NEGATIVE_ONE,
            redemption_period_days: 0,
            redemption_period_fee: Decimal::NEGATIVE_ONE,
        }
    }

    /// The registration price for `years`, if offered.
    pub(crate) fn register_price(&self, years: i64) -> Option<Decimal> {
        price_for(&self.register, years)
    }

    /// The renewal price for `years`, if offered.
    pub(crate) fn renew_price(&self, years: i64) -> Option<Decimal> {
        price_for(&self.renew, years)
    }

    /// The transfer price (a transfer adds one term).
    pub(crate) fn transfer_price(&self) -> Option<Decimal> {
        self.transfer.values().next().copied()
    }
}

/// The price listed for `years`, if any (negative prices mean not offered).
fn price_for(prices: &BTreeMap<u32, Decimal>, years: i64) -> Option<Decimal> {
    u32::try_from(years)
        .ok()
        .and_then(|y| prices.get(&y))
        .copied()
        .filter(|p| *p >= Decimal::ZERO)
}
