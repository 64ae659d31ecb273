//! The supplier register: suppliers known by organisation number.

pub mod graphql;
pub mod loaders;
pub mod service;
