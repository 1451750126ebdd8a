//! Sync with a feed aggregator the person already runs (Miniflux, FreshRSS,
//! coldsweat, …): the account's subscriptions become feeds, its items files
//! of the articles folder, and read and starred state flows both ways.
//!
//! [`service`] is what every protocol offers the engine; [`http`] the one
//! client they call their servers with; [`fever`], [`greader`] and
//! [`miniflux`] speak the three protocols. [`account`] reads an account's
//! password and picks its protocol ([`connect`]); [`engine`] runs one sync
//! through any protocol, keeping its cursor, feeds and agreed marks in
//! [`state`] and the local changes still to send in [`journal`]; [`run`]
//! is the whole sync of a configured account, for `broadsheet sync` and
//! the reader.

pub mod account;
pub mod engine;
pub mod fever;
pub mod greader;
pub mod http;
pub mod journal;
pub mod miniflux;
pub mod run;
pub mod service;
pub mod state;

pub use account::connect;
