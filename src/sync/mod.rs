//! Sync with a feed aggregator the person already runs (Miniflux, FreshRSS,
//! coldsweat, …): the account's subscriptions become feeds, its items files
//! of the articles folder, and read and starred state flows both ways.
//!
//! [`service`] is what every protocol offers the engine; [`http`] the one
//! client they call their servers with; [`fever`] speaks the Fever API.

pub mod fever;
pub mod greader;
pub mod http;
pub mod miniflux;
pub mod service;
