//! The kinds of agreement and of procurement.

use crate::stored_enum;

stored_enum!(
    /// The legal form of a joint agreement.
    AgreementKind {
        FrameworkAgreement => "FRAMEWORK_AGREEMENT",
        DynamicPurchasingSystem => "DYNAMIC_PURCHASING_SYSTEM",
        ReservedContract => "RESERVED_CONTRACT",
    }
);

stored_enum!(
    /// What is bought: the rules differ for each.
    ProcurementCategory {
        Goods => "GOODS",
        Services => "SERVICES",
        Construction => "CONSTRUCTION",
        Cleaning => "CLEANING",
    }
);
