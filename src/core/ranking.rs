//! Standard competition ranking (1, 2, 2, 4) by total and configured tie-breakers, with the
//! reason for every split (§5). Input order never changes a result.

use super::model::TieBreaker;
use super::score::Hundredths;
use std::cmp::Ordering;

/// The published values a contestant is ranked on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RankKey {
    pub total: Hundredths,
    pub practical: Hundredths,
    pub result_stage: Hundredths,
    pub professional_quality: Hundredths,
}

impl RankKey {
    fn value(&self, breaker: TieBreaker) -> Hundredths {
        match breaker {
            TieBreaker::Practical => self.practical,
            TieBreaker::ResultStage => self.result_stage,
            TieBreaker::ProfessionalQuality => self.professional_quality,
        }
    }

    /// Better first: higher total, then higher on each tie-breaker in order.
    fn compare(&self, other: &RankKey, breakers: &[TieBreaker]) -> Ordering {
        other.total.cmp(&self.total).then_with(|| {
            breakers
                .iter()
                .map(|b| other.value(*b).cmp(&self.value(*b)))
                .find(|o| o.is_ne())
                .unwrap_or(Ordering::Equal)
        })
    }

    /// The first tie-breaker on which `self` and `better` differ, if their totals are equal.
    fn separating_breaker(&self, better: &RankKey, breakers: &[TieBreaker]) -> Option<TieBreaker> {
        if self.total != better.total {
            return None;
        }
        breakers
            .iter()
            .copied()
            .find(|b| self.value(*b) != better.value(*b))
    }
}

/// The place of one contestant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Placing {
    pub rank: u32,
    /// For a contestant whose total equals that of the nearest strictly better rank: the first
    /// tie-breaker that separates them.
    pub tie_break: Option<TieBreaker>,
}

/// Ranks `keys`; the result is index-aligned with `keys`.
pub fn rank(keys: &[RankKey], breakers: &[TieBreaker]) -> Vec<Placing> {
    let mut order: Vec<usize> = (0..keys.len()).collect();
    order.sort_by(|&a, &b| keys[a].compare(&keys[b], breakers));
    let mut placings = vec![
        Placing {
            rank: 0,
            tie_break: None
        };
        keys.len()
    ];
    // Start of the current tied group and of the group before it, as positions in `order`.
    let mut group_start = 0;
    let mut previous_group_start: Option<usize> = None;
    for position in 0..order.len() {
        let index = order[position];
        if position > 0
            && keys[order[group_start]]
                .compare(&keys[index], breakers)
                .is_ne()
        {
            previous_group_start = Some(group_start);
            group_start = position;
        }
        let tie_break = previous_group_start
            .and_then(|p| keys[index].separating_breaker(&keys[order[p]], breakers));
        placings[index] = Placing {
            rank: group_start as u32 + 1,
            tie_break,
        };
    }
    placings
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [TieBreaker; 3] = [
        TieBreaker::Practical,
        TieBreaker::ResultStage,
        TieBreaker::ProfessionalQuality,
    ];

    fn key(total: i64, practical: i64, result: i64, quality: i64) -> RankKey {
        RankKey {
            total: Hundredths(total),
            practical: Hundredths(practical),
            result_stage: Hundredths(result),
            professional_quality: Hundredths(quality),
        }
    }

    fn ranks(placings: &[Placing]) -> Vec<u32> {
        placings.iter().map(|p| p.rank).collect()
    }

    #[test]
    fn standard_competition_ranking_skips_after_a_tie() {
        let keys = [
            key(9000, 1, 1, 1),
            key(8000, 1, 1, 1),
            key(8000, 1, 1, 1),
            key(7000, 1, 1, 1),
        ];
        assert_eq!(ranks(&rank(&keys, &ALL)), vec![1, 2, 2, 4]);
    }

    #[test]
    fn tie_on_total_broken_by_practical_score() {
        let keys = [key(8000, 7000, 1, 1), key(8000, 7500, 1, 1)];
        let placings = rank(&keys, &ALL);
        assert_eq!(ranks(&placings), vec![2, 1]);
        assert_eq!(placings[0].tie_break, Some(TieBreaker::Practical));
        assert_eq!(placings[1].tie_break, None);
    }

    #[test]
    fn tie_on_total_and_practical_broken_by_result_stage() {
        let keys = [key(8000, 7000, 3000, 1), key(8000, 7000, 3100, 1)];
        let placings = rank(&keys, &ALL);
        assert_eq!(ranks(&placings), vec![2, 1]);
        assert_eq!(placings[0].tie_break, Some(TieBreaker::ResultStage));
    }

    #[test]
    fn tie_broken_by_professional_quality_last() {
        let keys = [key(8000, 7000, 3000, 900), key(8000, 7000, 3000, 1000)];
        let placings = rank(&keys, &ALL);
        assert_eq!(placings[0].tie_break, Some(TieBreaker::ProfessionalQuality));
    }

    #[test]
    fn equal_on_everything_shares_the_rank() {
        let keys = [
            key(8000, 7000, 3000, 900),
            key(8000, 7000, 3000, 900),
            key(7900, 1, 1, 1),
        ];
        let placings = rank(&keys, &ALL);
        assert_eq!(ranks(&placings), vec![1, 1, 3]);
        assert_eq!(placings[0].tie_break, None);
        assert_eq!(placings[2].tie_break, None);
    }

    #[test]
    fn tied_group_behind_an_equal_total_all_carry_the_same_reason() {
        // A is best on practical; B and C are tied on everything, behind A on result stage.
        let keys = [
            key(8000, 7000, 3000, 900),
            key(8000, 7000, 2000, 900),
            key(8000, 7000, 2000, 900),
        ];
        let placings = rank(&keys, &ALL);
        assert_eq!(ranks(&placings), vec![1, 2, 2]);
        assert_eq!(placings[1].tie_break, Some(TieBreaker::ResultStage));
        assert_eq!(placings[2].tie_break, Some(TieBreaker::ResultStage));
    }

    #[test]
    fn tie_breaker_order_is_a_setting() {
        let keys = [key(8000, 7000, 3500, 900), key(8000, 7100, 3000, 900)];
        let practical_first = rank(&keys, &ALL);
        assert_eq!(ranks(&practical_first), vec![2, 1]);
        let result_first = rank(&keys, &[TieBreaker::ResultStage, TieBreaker::Practical]);
        assert_eq!(ranks(&result_first), vec![1, 2]);
        assert_eq!(result_first[1].tie_break, Some(TieBreaker::ResultStage));
    }

    #[test]
    fn no_tie_breakers_means_equal_totals_share_the_rank() {
        let keys = [key(8000, 7000, 1, 1), key(8000, 7500, 1, 1)];
        assert_eq!(ranks(&rank(&keys, &[])), vec![1, 1]);
    }
}
