//! Stable codes: enums whose every variant has one code (the word used in JSON, the CLI, the JS API
//! and the page), usually a Chinese name, and a place in one list. [`codes!`] writes `ALL`, `code`,
//! `name_zh`, `from_code`, `Display` and serde (as the code) for each such enum, so the list, the
//! codes and the names cannot drift apart, and the page, the TypeScript types and the README take
//! them from here (the report's `Vocabulary` lists them all).

/// Declares a code enum. Each variant is `Variant = ("code", "中文")`, or `Variant = "code"` for
/// enums without Chinese names. Serializes as its code; deserializing an unknown code is an error
/// that lists the known ones.
macro_rules! codes {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = ($code:literal, $zh:literal) ),+ $(,)?
        }
    ) => {
        codes!(@enum $(#[$meta])* $vis enum $name { $( $(#[$vmeta])* $variant = $code ),+ });
        impl $name {
            /// The name users know, in Chinese.
            pub const fn name_zh(self) -> &'static str {
                match self { $( $name::$variant => $zh, )+ }
            }
        }
    };
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $code:literal ),+ $(,)?
        }
    ) => {
        codes!(@enum $(#[$meta])* $vis enum $name { $( $(#[$vmeta])* $variant = $code ),+ });
    };
    (@enum
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $code:literal ),+
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        $vis enum $name {
            $( $(#[$vmeta])* $variant, )+
        }

        impl $name {
            /// Every code, in report order.
            pub const ALL: &'static [$name] = &[ $( $name::$variant, )+ ];

            /// The stable code used in JSON, the CLI, the JS API and the page.
            pub const fn code(self) -> &'static str {
                match self { $( $name::$variant => $code, )+ }
            }

            /// Parses a [`code`](Self::code).
            pub fn from_code(code: &str) -> Option<$name> {
                Self::ALL.iter().copied().find(|v| v.code() == code)
            }
        }

        /// Codes compare with their text, so tests and callers can write `issue.code == "invalid_amount"`.
        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.code() == *other
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.code())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.code())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let code = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(deserializer)?;
                $name::from_code(&code).ok_or_else(|| {
                    let known: Vec<&str> = $name::ALL.iter().map(|v| v.code()).collect();
                    serde::de::Error::custom(format!("{code:?} is not one of {}", known.join(", ")))
                })
            }
        }

        // The TypeScript name of the enum; its declaration (the union of its codes) comes from
        // `typescript_union`, so the generated types and the codes cannot disagree.
        #[cfg(feature = "typescript")]
        impl ts_rs::TS for $name {
            type WithoutGenerics = Self;
            type OptionInnerType = Self;
            fn name(_: &ts_rs::Config) -> String {
                stringify!($name).to_string()
            }
            fn inline(_: &ts_rs::Config) -> String {
                $crate::codes::union_of::<$name>()
            }
        }

        impl $crate::codes::Code for $name {
            const NAME: &'static str = stringify!($name);
            fn all() -> &'static [Self] {
                Self::ALL
            }
            fn code(self) -> &'static str {
                $name::code(self)
            }
        }
    };
}
pub(crate) use codes;

/// What every code enum has: its type name and its codes, for generated TypeScript types and
/// vocabulary listings.
pub trait Code: Copy + 'static {
    /// The Rust (and TypeScript) name of the enum.
    const NAME: &'static str;
    /// Every value, in report order.
    fn all() -> &'static [Self];
    /// The value's code.
    fn code(self) -> &'static str;
}

/// The TypeScript declaration of a code enum: a union of string literals.
#[cfg(any(test, feature = "typescript"))]
pub(crate) fn typescript_union<C: Code>() -> String {
    format!("export type {} = {};", C::NAME, union_of::<C>())
}

/// The codes of `C` as a TypeScript union of string literals: `"apple" | "pear"`.
#[cfg(any(test, feature = "typescript"))]
pub(crate) fn union_of<C: Code>() -> String {
    let codes: Vec<String> = C::all().iter().map(|c| format!("\"{}\"", c.code())).collect();
    codes.join(" | ")
}

#[cfg(test)]
mod tests {
    codes! {
        /// A test enum.
        enum Fruit {
            /// An apple.
            Apple = ("apple", "苹果"),
            /// A pear.
            Pear = ("pear", "梨"),
        }
    }

    #[test]
    fn codes_round_trip_through_serde_and_unknown_ones_are_named() {
        for &fruit in Fruit::ALL {
            assert_eq!(Fruit::from_code(fruit.code()), Some(fruit));
            let json = serde_json::to_string(&fruit).expect("serializes");
            assert_eq!(serde_json::from_str::<Fruit>(&json).expect("parses"), fruit);
        }
        assert_eq!(Fruit::Pear.name_zh(), "梨");
        let error = serde_json::from_str::<Fruit>("\"plum\"").unwrap_err().to_string();
        assert!(error.contains("\"plum\" is not one of apple, pear"), "{error}");
        assert_eq!(super::typescript_union::<Fruit>(), "export type Fruit = \"apple\" | \"pear\";");
    }
}
