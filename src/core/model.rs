//! The competition's vocabulary as plain data: groups, statuses, criteria, levels, titles, pool
//! settings. Every Chinese label the rules need to read or write is defined here, once.

use super::date::Date;
use super::score::Hundredths;
use std::fmt;

/// Declares a closed set of values with a stable English code and a Chinese label.
macro_rules! labelled_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => ($code:literal, $label:literal)),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable code stored in the database and written to files.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            /// The Chinese label shown to people.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            /// Reads either the code or the Chinese label, ignoring surrounding spaces.
            pub fn parse(text: &str) -> Option<$name> {
                let text = text.trim();
                $name::ALL.iter().copied().find(|v| v.code().eq_ignore_ascii_case(text) || v.label() == text)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.label())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.code())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = String::deserialize(d)?;
                $name::parse(&text).ok_or_else(|| serde::de::Error::custom(format!("unknown {}: {text}", stringify!($name))))
            }
        }
    };
}

labelled_enum!(
    /// 组别.
    Group {
        Staff => ("ZG", "职工组"),
        Student => ("XS", "学生组"),
    }
);

labelled_enum!(
    /// Contestant status (§3).
    Status {
        /// 正常: competing; ranked and must be scored.
        Normal => ("normal", "正常"),
        /// 缺考: absent at check-in; not a participant.
        Absent => ("absent", "缺考"),
        /// 弃赛: withdrew after starting; a participant, not ranked.
        Withdrawn => ("withdrawn", "弃赛"),
        /// 取消资格: disqualified; a participant, not ranked.
        Disqualified => ("disqualified", "取消资格"),
    }
);

impl Status {
    /// Counted in the prize base n: checked in and competed.
    pub fn is_participant(self) -> bool {
        self != Status::Absent
    }
}

labelled_enum!(
    Gender {
        Male => ("M", "男"),
        Female => ("F", "女"),
    }
);

labelled_enum!(
    /// 阶段.
    Stage {
        Process => ("process", "过程评价"),
        Result => ("result", "结果评价"),
    }
);

labelled_enum!(
    /// 维度.
    Dimension {
        Ability => ("ability", "能力"),
        Professionalism => ("professionalism", "职业素养"),
    }
);

labelled_enum!(
    /// 方式: how a criterion is scored.
    Kind {
        /// 主观: every judge of the pool scores independently.
        Judgement => ("judgement", "主观"),
        /// 客观: one agreed value, entered by one judge and confirmed by another.
        Measurement => ("measurement", "客观"),
    }
);

labelled_enum!(
    /// 职业技能等级, ordered from lowest to highest.
    SkillLevel {
        Junior => ("junior", "初级工"),
        Intermediate => ("intermediate", "中级工"),
        Senior => ("senior", "高级工"),
        Technician => ("technician", "技师"),
        SeniorTechnician => ("senior_technician", "高级技师"),
    }
);

labelled_enum!(
    /// 职称 level, ordered from lowest to highest.
    TitleLevel {
        Junior => ("junior", "初级"),
        Intermediate => ("intermediate", "中级"),
        AssociateSenior => ("associate_senior", "副高级"),
        FullSenior => ("full_senior", "正高级"),
    }
);

labelled_enum!(
    /// 参赛资格: the staff eligibility basis declared on the form (notice §三).
    Basis {
        A => ("a", "a"),
        B => ("b", "b"),
        C => ("c", "c"),
        D => ("d", "d"),
    }
);

labelled_enum!(
    Prize {
        First => ("first", "一等奖"),
        Second => ("second", "二等奖"),
        Third => ("third", "三等奖"),
    }
);

labelled_enum!(
    /// What a 双合格 职工组 top contestant may claim for their professional title (§6).
    TitleAward {
        AssociateSenior => ("副高", "副高"),
        Exceptional => ("破格", "破格"),
    }
);

labelled_enum!(
    /// Ranking precedence after the total (§5).
    TieBreaker {
        Practical => ("practical", "操作技能成绩"),
        ResultStage => ("result_stage", "结果评价小计"),
        ProfessionalQuality => ("professional_quality", "职业素养小计"),
    }
);

labelled_enum!(
    Role {
        Coordinator => ("coordinator", "赛务"),
        Chief => ("chief", "裁判长"),
        Judge => ("judge", "裁判"),
        Supervisor => ("supervisor", "监督"),
    }
);

labelled_enum!(
    /// Lifecycle of a pool (§7), in order.
    PoolState {
        Registration => ("registration", "报名"),
        CheckIn => ("checkin", "检录"),
        Scoring => ("scoring", "评分"),
        Locked => ("locked", "已锁定"),
        Decrypted => ("decrypted", "已解密"),
        Published => ("published", "已公示"),
        Final => ("final", "已定稿"),
    }
);

/// A title text whose level is none of 初级, 中级, 副高级, 正高级.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("职称应为 初级、中级、副高级 或 正高级")]
pub struct UnknownTitle;

/// A professional title as registered: its level and, optionally, its name (`中级（经济师）`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Title {
    pub level: TitleLevel,
    pub name: Option<String>,
}

impl Title {
    /// Reads `中级`, `中级（经济师）` or `中级(经济师)`; `None` for an empty cell, `Err` for anything else.
    pub fn parse(text: &str) -> Result<Option<Title>, UnknownTitle> {
        let text = text.trim();
        if text.is_empty() || text == "无" {
            return Ok(None);
        }
        let (level_text, name) = match text.find(['（', '(']) {
            Some(open) => {
                let inner = text[open..]
                    .trim_start_matches(['（', '('])
                    .trim_end_matches(['）', ')'])
                    .trim();
                (
                    &text[..open],
                    (!inner.is_empty()).then(|| inner.to_string()),
                )
            }
            None => (text, None),
        };
        let level = TitleLevel::parse(level_text).ok_or(UnknownTitle)?;
        Ok(Some(Title { level, name }))
    }
}

impl fmt::Display for Title {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.name {
            Some(name) => write!(f, "{}（{}）", self.level.label(), name),
            None => f.write_str(self.level.label()),
        }
    }
}

/// One practical criterion (评分项) of a pool's scheme.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Criterion {
    pub code: String,
    pub name: String,
    pub max: Hundredths,
    pub step: Hundredths,
    pub stage: Stage,
    pub dimension: Dimension,
    pub kind: Kind,
}

/// Why a value cannot be entered for a criterion.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ValueError {
    #[error("不能为负数")]
    Negative,
    #[error("超出满分 {}", .0.to_short())]
    OverMaximum(Hundredths),
    #[error("须为 {} 的整数倍", .0.to_short())]
    OffStep(Hundredths),
}

impl Criterion {
    /// Range and step check for one entered value.
    pub fn check_value(&self, value: Hundredths) -> Result<(), ValueError> {
        if value.0 < 0 {
            return Err(ValueError::Negative);
        }
        if value > self.max {
            return Err(ValueError::OverMaximum(self.max));
        }
        if self.step.0 > 0 && value.0 % self.step.0 != 0 {
            return Err(ValueError::OffStep(self.step));
        }
        Ok(())
    }
}

/// Why a scheme is not acceptable for a pool.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SchemeError {
    #[error("评分项满分合计为 {}，应为 100", .0.to_short())]
    MaximaSum(Hundredths),
    #[error("缺少{0}的评分项")]
    Missing(&'static str),
    #[error("评分项编号 {0} 重复")]
    DuplicateCode(String),
    #[error("评分项 {0} 的满分或步长无效")]
    BadMaximum(String),
}

/// A criterion's name by its code, for people (the code itself when no criterion has it).
pub fn criterion_name(criteria: &[Criterion], code: &str) -> String {
    criteria
        .iter()
        .find(|c| c.code == code)
        .map_or_else(|| code.to_string(), |c| c.name.clone())
}

/// What a pool's criteria's maxima add up to (§4): 100 points.
pub const SCHEME_TOTAL: Hundredths = Hundredths(10_000);

/// The sum of some maxima (a scheme's, or what is typed so far in the editor).
pub fn maxima_total(maxima: impl IntoIterator<Item = Hundredths>) -> Hundredths {
    Hundredths(maxima.into_iter().map(|m| m.0).sum())
}

/// Checks the structural rules of §4 for one pool's criteria; returns every problem.
pub fn check_scheme(criteria: &[Criterion]) -> Vec<SchemeError> {
    let mut problems = Vec::new();
    let sum = maxima_total(criteria.iter().map(|c| c.max));
    if sum != SCHEME_TOTAL {
        problems.push(SchemeError::MaximaSum(sum));
    }
    for stage in Stage::ALL {
        if !criteria.iter().any(|c| c.stage == *stage) {
            problems.push(SchemeError::Missing(stage.label()));
        }
    }
    for dimension in Dimension::ALL {
        if !criteria.iter().any(|c| c.dimension == *dimension) {
            problems.push(SchemeError::Missing(dimension.label()));
        }
    }
    let mut seen = std::collections::HashSet::new();
    for c in criteria {
        if !seen.insert(c.code.as_str()) {
            problems.push(SchemeError::DuplicateCode(c.code.clone()));
        }
        if c.max.0 <= 0 || c.step.0 <= 0 || c.max.0 % c.step.0 != 0 {
            problems.push(SchemeError::BadMaximum(c.code.clone()));
        }
    }
    problems
}

/// The coordinator's settings for one pool; defaults from `competition-rules.md`.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct PoolSettings {
    /// Theory weight in percent; practical weight is `100 - theory_weight`.
    pub theory_weight: u32,
    pub theory_pass: Hundredths,
    pub practical_pass: Hundredths,
    pub tie_breakers: Vec<TieBreaker>,
    /// A judgement criterion whose max − min exceeds this percentage of its maximum is flagged.
    pub spread_limit_percent: u32,
    /// 一等奖, 二等奖, 三等奖 shares of the participants, in percent.
    pub prize_percents: [u32; 3],
    /// The last day of the pool; the date the certificate rules use.
    pub end_date: Date,
    /// When the competition of the pool ended on `end_date` (`16:30`), from which the two hours
    /// for appeals run; `None` until set (the chief judge's lock is taken as the end).
    pub end_time: Option<String>,
    /// Ranks up to this get the 省技术能手 recommendation and the 职工组 技师 level.
    pub expert_rank_limit: u32,
    /// Ranks up to this get the 学生组 高级工 level.
    pub student_senior_rank_limit: u32,
    /// City-selection mode: ranks up to `advance_rank_limit` advance to the final.
    pub city_selection: bool,
    pub advance_rank_limit: u32,
    /// With at least this many judgement scores, one highest and one lowest are dropped.
    pub trim_from: u32,
}

impl Default for PoolSettings {
    fn default() -> Self {
        PoolSettings {
            theory_weight: 20,
            theory_pass: Hundredths(6000),
            practical_pass: Hundredths(6000),
            tie_breakers: vec![
                TieBreaker::Practical,
                TieBreaker::ResultStage,
                TieBreaker::ProfessionalQuality,
            ],
            spread_limit_percent: 20,
            prize_percents: [10, 20, 30],
            end_date: Date {
                year: 2023,
                month: 11,
                day: 15,
            },
            end_time: None,
            expert_rank_limit: 6,
            student_senior_rank_limit: 3,
            city_selection: false,
            advance_rank_limit: 6,
            trim_from: 5,
        }
    }
}

impl PoolSettings {
    pub fn practical_weight(&self) -> u32 {
        100u32.saturating_sub(self.theory_weight)
    }
}

/// A pool is one event × one group, named `DS-ZG`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PoolKey {
    pub event: String,
    pub group: Group,
}

impl PoolKey {
    pub fn new(event: &str, group: Group) -> Self {
        PoolKey {
            event: event.to_string(),
            group,
        }
    }

    /// Reads `DS-ZG`.
    pub fn parse(text: &str) -> Option<PoolKey> {
        let (event, group) = text.trim().split_once('-')?;
        let group = Group::parse(group)?;
        if event.is_empty() {
            return None;
        }
        Some(PoolKey {
            event: event.to_ascii_uppercase(),
            group,
        })
    }
}

impl fmt::Display for PoolKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.event, self.group.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn criterion(code: &str, max: i64, stage: Stage, dimension: Dimension) -> Criterion {
        Criterion {
            code: code.into(),
            name: code.into(),
            max: Hundredths(max),
            step: Hundredths(50),
            stage,
            dimension,
            kind: Kind::Judgement,
        }
    }

    #[test]
    fn a_criterion_is_named_by_its_name_and_an_unknown_code_by_itself() {
        let mut qm = criterion("QM01", 1000, Stage::Process, Dimension::Ability);
        qm.name = "选题策划".into();
        let criteria = [qm];
        assert_eq!(criterion_name(&criteria, "QM01"), "选题策划");
        assert_eq!(criterion_name(&criteria, "QM09"), "QM09");
    }

    #[test]
    fn labels_and_codes_parse_both_ways() {
        assert_eq!(Group::parse("职工组"), Some(Group::Staff));
        assert_eq!(Group::parse(" XS "), Some(Group::Student));
        assert_eq!(Status::parse("取消资格"), Some(Status::Disqualified));
        assert_eq!(
            SkillLevel::parse("高级技师"),
            Some(SkillLevel::SeniorTechnician)
        );
        assert!(SkillLevel::Technician > SkillLevel::Senior);
        assert_eq!(
            PoolKey::parse("ds-ZG"),
            Some(PoolKey::new("DS", Group::Staff))
        );
        assert_eq!(PoolKey::new("QM", Group::Student).to_string(), "QM-XS");
    }

    #[test]
    fn title_with_name_in_brackets() {
        let title = Title::parse("中级（经济师）").ok().flatten();
        assert_eq!(
            title,
            Some(Title {
                level: TitleLevel::Intermediate,
                name: Some("经济师".into())
            })
        );
        assert_eq!(
            Title::parse("副高级(高级经济师)")
                .ok()
                .flatten()
                .map(|t| t.level),
            Some(TitleLevel::AssociateSenior)
        );
        assert_eq!(Title::parse(""), Ok(None));
        assert_eq!(Title::parse("教授"), Err(UnknownTitle));
    }

    #[test]
    fn value_over_maximum_names_the_maximum() {
        let c = criterion("A1", 2000, Stage::Process, Dimension::Ability);
        assert_eq!(
            c.check_value(Hundredths(2050)).map_err(|e| e.to_string()),
            Err("超出满分 20".to_string())
        );
        assert_eq!(
            c.check_value(Hundredths(1025)),
            Err(ValueError::OffStep(Hundredths(50)))
        );
        assert_eq!(c.check_value(Hundredths(-50)), Err(ValueError::Negative));
        assert_eq!(c.check_value(Hundredths(2000)), Ok(()));
        assert_eq!(c.check_value(Hundredths(0)), Ok(()));
    }

    #[test]
    fn scheme_maxima_must_sum_to_100_with_both_stages_and_dimensions() {
        let good = vec![
            criterion("A", 6000, Stage::Process, Dimension::Ability),
            criterion("B", 4000, Stage::Result, Dimension::Professionalism),
        ];
        assert!(check_scheme(&good).is_empty());
        let bad = vec![criterion("A", 6000, Stage::Process, Dimension::Ability)];
        let problems = check_scheme(&bad);
        assert!(problems.contains(&SchemeError::MaximaSum(Hundredths(6000))));
        assert!(problems.contains(&SchemeError::Missing("结果评价")));
        assert!(problems.contains(&SchemeError::Missing("职业素养")));
    }
}
