//! Prizes, 技术能手, skill levels, titles and city advancement (§6), in integers only.

use super::date::Date;
use super::model::{Group, Prize, SkillLevel, TitleAward, TitleLevel};

/// Prize quotas `q = (n × percent + 50) div 100` for 一/二/三等奖.
pub fn quotas(participants: u32, percents: [u32; 3]) -> [u32; 3] {
    percents.map(|p| (participants * p + 50) / 100)
}

/// Cumulative limits C1, C2, C3.
pub fn cumulative_limits(quota: [u32; 3]) -> [u32; 3] {
    [
        quota[0],
        quota[0] + quota[1],
        quota[0] + quota[1] + quota[2],
    ]
}

/// The prize of rank `rank`: contestants tied across a limit all get the higher prize.
pub fn prize_for_rank(rank: u32, quota: [u32; 3]) -> Option<Prize> {
    let [c1, c2, c3] = cumulative_limits(quota);
    if rank <= c1 {
        Some(Prize::First)
    } else if rank <= c2 {
        Some(Prize::Second)
    } else if rank <= c3 {
        Some(Prize::Third)
    } else {
        None
    }
}

/// What the rules need to know of one ranked, 双合格-checked contestant.
#[derive(Clone, Copy, Debug)]
pub struct AwardInput {
    pub group: Group,
    pub rank: u32,
    pub double_qualified: bool,
    pub held_level: Option<SkillLevel>,
    pub held_level_date: Option<Date>,
    pub held_title: Option<TitleLevel>,
}

/// Limits that are settings.
#[derive(Clone, Copy, Debug)]
pub struct AwardLimits {
    pub end_date: Date,
    pub expert_rank_limit: u32,
    pub student_senior_rank_limit: u32,
}

/// 省技术能手 recommendation: 职工组, rank ≤ 6, 双合格.
pub fn technical_expert(input: &AwardInput, limits: &AwardLimits) -> bool {
    input.group == Group::Staff && input.double_qualified && input.rank <= limits.expert_rank_limit
}

/// True when 技师 was obtained on or before the end date minus one year.
pub fn held_technician_full_year(input: &AwardInput, end_date: Date) -> bool {
    input.held_level == Some(SkillLevel::Technician)
        && input
            .held_level_date
            .is_some_and(|d| d <= end_date.minus_one_year())
}

/// The skill-level certificate awarded, and whether the contestant already holds it or higher.
pub fn skill_level(input: &AwardInput, limits: &AwardLimits) -> (Option<SkillLevel>, bool) {
    if !input.double_qualified {
        return (None, false);
    }
    let level = match input.group {
        Group::Staff if input.rank <= limits.expert_rank_limit => {
            if held_technician_full_year(input, limits.end_date) {
                SkillLevel::SeniorTechnician
            } else {
                SkillLevel::Technician
            }
        }
        Group::Staff => SkillLevel::Senior,
        Group::Student if input.rank <= limits.student_senior_rank_limit => SkillLevel::Senior,
        Group::Student => SkillLevel::Intermediate,
    };
    let already = input.held_level.is_some_and(|held| held >= level);
    (Some(level), already)
}

/// 副高 for rank 1 holding a 中级+ title or 技师/高级技师; 破格 for ranks 2–3; 职工组 双合格 only.
pub fn title_award(input: &AwardInput) -> Option<TitleAward> {
    if input.group != Group::Staff || !input.double_qualified {
        return None;
    }
    match input.rank {
        1 => {
            let title_ok = input
                .held_title
                .is_some_and(|t| t >= TitleLevel::Intermediate);
            let level_ok = input
                .held_level
                .is_some_and(|l| l >= SkillLevel::Technician);
            (title_ok || level_ok).then_some(TitleAward::AssociateSenior)
        }
        2 | 3 => Some(TitleAward::Exceptional),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PERCENTS: [u32; 3] = [10, 20, 30];

    fn date(text: &str) -> Date {
        Date::parse(text).unwrap_or_else(|| panic!("bad fixture {text}"))
    }

    fn limits() -> AwardLimits {
        AwardLimits {
            end_date: date("2023-11-15"),
            expert_rank_limit: 6,
            student_senior_rank_limit: 3,
        }
    }

    fn staff(rank: u32) -> AwardInput {
        AwardInput {
            group: Group::Staff,
            rank,
            double_qualified: true,
            held_level: None,
            held_level_date: None,
            held_title: None,
        }
    }

    fn student(rank: u32) -> AwardInput {
        AwardInput {
            group: Group::Student,
            ..staff(rank)
        }
    }

    #[test]
    fn quota_examples_of_the_rules() {
        assert_eq!(quotas(5, PERCENTS), [1, 1, 2]);
        assert_eq!(quotas(23, PERCENTS), [2, 5, 7]);
        assert_eq!(quotas(25, PERCENTS), [3, 5, 8]);
        assert_eq!(quotas(35, PERCENTS), [4, 7, 11]);
        assert_eq!(quotas(1, PERCENTS), [0, 0, 0]);
        assert_eq!(quotas(0, PERCENTS), [0, 0, 0]);
    }

    #[test]
    fn n_equals_one_gets_no_prize() {
        assert_eq!(prize_for_rank(1, quotas(1, PERCENTS)), None);
    }

    #[test]
    fn prizes_by_cumulative_limit() {
        let quota = quotas(23, PERCENTS); // C = 2, 7, 14
        assert_eq!(prize_for_rank(1, quota), Some(Prize::First));
        assert_eq!(prize_for_rank(2, quota), Some(Prize::First));
        assert_eq!(prize_for_rank(3, quota), Some(Prize::Second));
        assert_eq!(prize_for_rank(7, quota), Some(Prize::Second));
        assert_eq!(prize_for_rank(8, quota), Some(Prize::Third));
        assert_eq!(prize_for_rank(14, quota), Some(Prize::Third));
        assert_eq!(prize_for_rank(15, quota), None);
    }

    #[test]
    fn tie_across_a_quota_limit_all_get_the_higher_prize() {
        // n = 23: C1 = 2. Three contestants tied at rank 2 all receive 一等奖.
        let quota = quotas(23, PERCENTS);
        for rank in [2, 2, 2] {
            assert_eq!(prize_for_rank(rank, quota), Some(Prize::First));
        }
        assert_eq!(prize_for_rank(5, quota), Some(Prize::Second));
    }

    #[test]
    fn technical_expert_needs_staff_top_six_and_double_qualified() {
        assert!(technical_expert(&staff(6), &limits()));
        assert!(!technical_expert(&staff(7), &limits()));
        assert!(!technical_expert(&student(1), &limits()));
        assert!(!technical_expert(
            &AwardInput {
                double_qualified: false,
                ..staff(1)
            },
            &limits()
        ));
    }

    #[test]
    fn staff_top_six_get_technician_others_senior_worker() {
        assert_eq!(
            skill_level(&staff(6), &limits()),
            (Some(SkillLevel::Technician), false)
        );
        assert_eq!(
            skill_level(&staff(7), &limits()),
            (Some(SkillLevel::Senior), false)
        );
        assert_eq!(
            skill_level(
                &AwardInput {
                    double_qualified: false,
                    ..staff(1)
                },
                &limits()
            ),
            (None, false)
        );
    }

    #[test]
    fn technician_held_exactly_one_year_before_end_date_gets_senior_technician() {
        let input = AwardInput {
            held_level: Some(SkillLevel::Technician),
            held_level_date: Some(date("2022-11-15")),
            ..staff(1)
        };
        assert_eq!(
            skill_level(&input, &limits()),
            (Some(SkillLevel::SeniorTechnician), false)
        );
    }

    #[test]
    fn technician_held_one_day_short_of_a_year_gets_technician_already_held() {
        let input = AwardInput {
            held_level: Some(SkillLevel::Technician),
            held_level_date: Some(date("2022-11-16")),
            ..staff(2)
        };
        assert_eq!(
            skill_level(&input, &limits()),
            (Some(SkillLevel::Technician), true)
        );
    }

    #[test]
    fn technician_full_year_on_a_29_february_end_date() {
        let limits = AwardLimits {
            end_date: date("2024-02-29"),
            ..limits()
        };
        let held = |d: &str| AwardInput {
            held_level: Some(SkillLevel::Technician),
            held_level_date: Some(date(d)),
            ..staff(1)
        };
        assert_eq!(
            skill_level(&held("2023-02-28"), &limits).0,
            Some(SkillLevel::SeniorTechnician)
        );
        assert_eq!(
            skill_level(&held("2023-03-01"), &limits).0,
            Some(SkillLevel::Technician)
        );
    }

    #[test]
    fn students_top_three_get_senior_worker_others_intermediate() {
        assert_eq!(
            skill_level(&student(3), &limits()),
            (Some(SkillLevel::Senior), false)
        );
        assert_eq!(
            skill_level(&student(4), &limits()),
            (Some(SkillLevel::Intermediate), false)
        );
    }

    #[test]
    fn already_holds_level_when_held_level_is_equal_or_higher() {
        let input = AwardInput {
            held_level: Some(SkillLevel::Senior),
            ..staff(8)
        };
        assert_eq!(
            skill_level(&input, &limits()),
            (Some(SkillLevel::Senior), true)
        );
        let input = AwardInput {
            held_level: Some(SkillLevel::Intermediate),
            ..staff(8)
        };
        assert_eq!(
            skill_level(&input, &limits()),
            (Some(SkillLevel::Senior), false)
        );
        let input = AwardInput {
            held_level: Some(SkillLevel::SeniorTechnician),
            ..student(5)
        };
        assert_eq!(
            skill_level(&input, &limits()),
            (Some(SkillLevel::Intermediate), true)
        );
    }

    #[test]
    fn rank_one_with_intermediate_title_may_apply_for_associate_senior() {
        let input = AwardInput {
            held_title: Some(TitleLevel::Intermediate),
            ..staff(1)
        };
        assert_eq!(title_award(&input), Some(TitleAward::AssociateSenior));
        let input = AwardInput {
            held_level: Some(SkillLevel::Technician),
            ..staff(1)
        };
        assert_eq!(title_award(&input), Some(TitleAward::AssociateSenior));
    }

    #[test]
    fn rank_one_without_title_or_technician_gets_no_title() {
        let input = AwardInput {
            held_title: Some(TitleLevel::Junior),
            held_level: Some(SkillLevel::Senior),
            ..staff(1)
        };
        assert_eq!(title_award(&input), None);
    }

    #[test]
    fn ranks_two_and_three_count_as_exceptional_condition() {
        assert_eq!(title_award(&staff(2)), Some(TitleAward::Exceptional));
        assert_eq!(title_award(&staff(3)), Some(TitleAward::Exceptional));
        assert_eq!(title_award(&staff(4)), None);
        assert_eq!(title_award(&student(2)), None);
        assert_eq!(
            title_award(&AwardInput {
                double_qualified: false,
                ..staff(2)
            }),
            None
        );
    }
}

/// One coach award: the coach of a 学生组 contestant ranked 1–3 (one entry per contestant, so a
/// coach of two such students appears twice).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CoachEntry<'a> {
    pub name: &'a str,
    pub contestant: i64,
    pub rank: u32,
}

/// Coach entries of a pool from its ranked rows `(contestant, rank)` and each contestant's coach.
pub fn coach_entries<'a>(
    group: Group,
    ranked: &[(i64, Option<u32>)],
    coach_of: impl Fn(i64) -> Option<&'a str>,
) -> Vec<CoachEntry<'a>> {
    if group != Group::Student {
        return Vec::new();
    }
    let mut entries: Vec<CoachEntry<'a>> = ranked
        .iter()
        .filter_map(|&(contestant, rank)| {
            let rank = rank.filter(|r| *r <= 3)?;
            let name = coach_of(contestant)
                .map(str::trim)
                .filter(|n| !n.is_empty())?;
            Some(CoachEntry {
                name,
                contestant,
                rank,
            })
        })
        .collect();
    entries.sort_by_key(|e| (e.rank, e.contestant));
    entries
}

#[cfg(test)]
mod coach_tests {
    use super::*;

    #[test]
    fn coach_of_two_top_three_students_appears_twice() {
        let ranked = [
            (1, Some(1)),
            (2, Some(2)),
            (3, Some(3)),
            (4, Some(4)),
            (5, None),
        ];
        let coach = |key: i64| match key {
            1 | 3 => Some("沈建国"),
            2 => Some("  "),
            _ => Some("陆文静"),
        };
        let entries = coach_entries(Group::Student, &ranked, coach);
        assert_eq!(
            entries,
            vec![
                CoachEntry {
                    name: "沈建国",
                    contestant: 1,
                    rank: 1
                },
                CoachEntry {
                    name: "沈建国",
                    contestant: 3,
                    rank: 3
                }
            ]
        );
    }

    #[test]
    fn staff_pools_have_no_coach_entries() {
        assert!(coach_entries(Group::Staff, &[(1, Some(1))], |_| Some("沈建国")).is_empty());
    }
}
