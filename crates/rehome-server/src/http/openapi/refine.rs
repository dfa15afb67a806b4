//! What utoipa's derive cannot say about the wire types, said on the
//! generated document: each is a rule the server enforces.

/// Quiet hours are both given or neither (`accounts::check_settings`): the
/// derived object gets a `oneOf` beside it that says so.
pub(super) struct QuietHoursBothOrNeither;

impl utoipa::Modify for QuietHoursBothOrNeither {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::schema::{AllOfBuilder, ObjectBuilder, OneOfBuilder, Type};
        let Some(components) = openapi.components.as_mut() else {
            return;
        };
        let Some(derived) = components.schemas.remove("NotificationSettings") else {
            return;
        };
        let typed = |t: Type| ObjectBuilder::new().schema_type(t);
        let both = typed(Type::Object)
            .property("quietStart", typed(Type::Integer))
            .property("quietEnd", typed(Type::Integer))
            .required("quietStart")
            .required("quietEnd");
        let neither = typed(Type::Object)
            .property("quietStart", typed(Type::Null))
            .property("quietEnd", typed(Type::Null));
        let rule = OneOfBuilder::new()
            .description(Some(
                "Quiet hours: both `quietStart` and `quietEnd`, or neither",
            ))
            .item(both)
            .item(neither);
        components.schemas.insert(
            "NotificationSettings".into(),
            AllOfBuilder::new().item(derived).item(rule).into(),
        );
    }
}

/// utoipa writes a `u32` as `int32` with minimum 0, whose top is 2^31 - 1;
/// serde reads up to 2^32 - 1. Every such schema without a tighter bound of
/// its own says what is read: integers 0 to 4294967295.
pub(super) struct U32AsRead;

impl utoipa::Modify for U32AsRead {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::Number;
        use utoipa::openapi::RefOr;
        use utoipa::openapi::schema::{ArrayItems, KnownFormat, Schema, SchemaFormat};
        fn widen(schema: &mut RefOr<Schema>) {
            let RefOr::T(schema) = schema else { return };
            match schema {
                Schema::Object(o) => {
                    let int32 = matches!(
                        o.format,
                        Some(SchemaFormat::KnownFormat(KnownFormat::Int32))
                    );
                    let from_zero = matches!(o.minimum, Some(Number::Int(0) | Number::UInt(0)));
                    if int32 && from_zero && o.maximum.is_none() {
                        o.format = None;
                        o.maximum = Some(Number::UInt(u32::MAX as usize));
                    }
                    o.properties.values_mut().for_each(widen);
                }
                Schema::Array(a) => {
                    if let ArrayItems::RefOrSchema(items) = &mut a.items {
                        widen(items);
                    }
                }
                Schema::OneOf(x) => x.items.iter_mut().for_each(widen),
                Schema::AllOf(x) => x.items.iter_mut().for_each(widen),
                Schema::AnyOf(x) => x.items.iter_mut().for_each(widen),
                _ => {}
            }
        }
        if let Some(components) = openapi.components.as_mut() {
            components.schemas.values_mut().for_each(widen);
        }
        for item in openapi.paths.paths.values_mut() {
            let operations = [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.options,
                &mut item.head,
                &mut item.patch,
            ];
            for op in operations.into_iter().flatten() {
                for p in op.parameters.iter_mut().flatten() {
                    if let Some(s) = p.schema.as_mut() {
                        widen(s);
                    }
                }
            }
        }
    }
}

/// A mutation's `args` take no field but its own (rehome-model's `Mutation`
/// is `deny_unknown_fields`, which serde applies to every variant's fields);
/// utoipa closes only the outer object.
pub(super) struct MutationArgsClosed;

impl utoipa::Modify for MutationArgsClosed {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::RefOr;
        use utoipa::openapi::schema::{AdditionalProperties, Schema};
        let Some(components) = openapi.components.as_mut() else {
            return;
        };
        let Some(RefOr::T(Schema::OneOf(mutation))) = components.schemas.get_mut("Mutation") else {
            return;
        };
        for branch in &mut mutation.items {
            if let RefOr::T(Schema::Object(branch)) = branch
                && let Some(RefOr::T(Schema::Object(args))) = branch.properties.get_mut("args")
            {
                args.additional_properties = Some(Box::new(AdditionalProperties::FreeForm(false)));
            }
        }
    }
}

/// A parcel size (`small`, `medium`, `large`) takes no `grams`, or `null`
/// (serde reads an adjacently tagged unit variant's content as `()`); other
/// unknown keys are ignored. utoipa leaves `grams` open on those branches.
pub(super) struct UnitParcelsHaveNoGrams;

impl utoipa::Modify for UnitParcelsHaveNoGrams {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::RefOr;
        use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
        let Some(components) = openapi.components.as_mut() else {
            return;
        };
        let Some(RefOr::T(Schema::OneOf(parcel))) = components.schemas.get_mut("Parcel") else {
            return;
        };
        for branch in &mut parcel.items {
            if let RefOr::T(Schema::Object(branch)) = branch
                && !branch.properties.contains_key("grams")
            {
                let null = ObjectBuilder::new().schema_type(Type::Null).build();
                branch
                    .properties
                    .insert("grams".into(), RefOr::T(Schema::Object(null)));
            }
        }
    }
}
