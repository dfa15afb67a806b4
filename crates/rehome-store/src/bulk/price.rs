//! A bulk price change for one price: the change, the rounding, the floor.

use rehome_model::Money;
use rehome_model::draft::{PRICE_MAX, PRICE_MIN};
use rehome_model::ipc::{PriceChange, Rounding};

/// The new price, or why this row is refused.
pub(super) fn new_price(
    current: Money,
    change: PriceChange,
    round: Rounding,
    floor: Option<Money>,
) -> Result<Money, String> {
    let computed: i128 = match change {
        PriceChange::Set(p) => i128::from(p.0),
        PriceChange::Add(cents) => i128::from(current.0) + i128::from(cents),
        // Hundredths of a percent, to the nearest cent (halves away from zero).
        PriceChange::Percent(bp) => {
            let scaled = i128::from(current.0) * (10_000 + i128::from(bp));
            let q = scaled.abs() / 10_000;
            let r = scaled.abs() % 10_000;
            let q = if r * 2 >= 10_000 { q + 1 } else { q };
            if scaled < 0 { -q } else { q }
        }
    };
    let rounded = rounded(computed, round);
    let shown = |c: i128| Money(c.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64);
    if let Some(floor) = floor
        && rounded < i128::from(floor.0)
    {
        return Err(format!(
            "the new price {} is under the floor {floor}",
            shown(rounded)
        ));
    }
    if rounded < i128::from(PRICE_MIN.0) {
        return Err(format!(
            "the new price {} is under the lowest price, {PRICE_MIN}",
            shown(rounded)
        ));
    }
    if rounded > i128::from(PRICE_MAX.0) {
        return Err(format!(
            "the new price {} is over the highest price, {PRICE_MAX}",
            shown(rounded)
        ));
    }
    Ok(shown(rounded))
}

/// To the nearest price with the chosen cents (`.00`, `.50`, `.99`); a tie
/// goes up.
fn rounded(cents: i128, round: Rounding) -> i128 {
    let (step, end) = match round {
        Rounding::None => return cents,
        Rounding::Whole => (100, 0),
        Rounding::Half => (50, 0),
        Rounding::NinetyNine => (100, 99),
    };
    // Candidates k*step + end around `cents`.
    let below = (cents - end).div_euclid(step) * step + end;
    let above = below + step;
    if cents - below < above - cents {
        below
    } else {
        above
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(
        current: i64,
        change: PriceChange,
        round: Rounding,
        floor: Option<i64>,
        expected: Result<i64, &str>,
    ) {
        let got = new_price(Money(current), change, round, floor.map(Money));
        match expected {
            Ok(p) => assert_eq!(got, Ok(Money(p)), "{current} {change:?} {round:?}"),
            Err(why) => {
                let err = got.expect_err(why);
                assert!(err.contains(why), "{err}");
            }
        }
    }

    #[test]
    fn price_changes_round_and_respect_the_floor() {
        use PriceChange::*;
        use Rounding::*;
        type Case = (
            i64,
            PriceChange,
            Rounding,
            Option<i64>,
            Result<i64, &'static str>,
        );
        let cases: &[Case] = &[
            (1250, Set(Money(2000)), None, Option::None, Ok(2000)),
            (1250, Add(250), None, Option::None, Ok(1500)),
            (1250, Add(-250), None, Option::None, Ok(1000)),
            (1250, Percent(-1000), None, Option::None, Ok(1125)),
            // 19.99 − 10 % = 17.991 → 17.99
            (1999, Percent(-1000), None, Option::None, Ok(1799)),
            // 0.5 cent goes up: 1005 − 10 % = 904.5 → 905
            (1005, Percent(-1000), None, Option::None, Ok(905)),
            (1999, Percent(-1000), NinetyNine, Option::None, Ok(1799)),
            (1234, Add(0), NinetyNine, Option::None, Ok(1199)),
            (1250, Add(0), NinetyNine, Option::None, Ok(1299)),
            (1234, Add(0), Whole, Option::None, Ok(1200)),
            (1250, Add(0), Whole, Option::None, Ok(1300)),
            (1224, Add(0), Half, Option::None, Ok(1200)),
            (1226, Add(0), Half, Option::None, Ok(1250)),
            (
                1250,
                Percent(-5000),
                None,
                Some(1000),
                Err("under the floor 10.00"),
            ),
            (1250, Percent(-2000), None, Some(1000), Ok(1000)),
            (
                150,
                Add(-100),
                None,
                Option::None,
                Err("under the lowest price"),
            ),
            (
                1250,
                Set(Money(20_000_000)),
                None,
                Option::None,
                Err("over the highest price"),
            ),
        ];
        for (current, change, round, floor, expected) in cases {
            check(*current, *change, *round, *floor, *expected);
        }
    }
}
