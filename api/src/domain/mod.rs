//! The small core every feature shares: names and keys of agencies, organisation numbers,
//! months and quarters, exact hundredths, and how far a viewer's access reaches. It imports
//! no feature.

pub mod agency;
pub mod hundredths;
pub mod kinds;
pub mod month;
pub mod orgnr;
pub mod scope;
pub mod text;

pub use scope::Scope;
