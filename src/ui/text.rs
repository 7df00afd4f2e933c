//! Every Chinese string the window shows that is not a rules label (those live in
//! `core::model`), in one place.

pub const WINDOW_TITLE: &str = "江苏省电子商务技术应用职业技能竞赛 · 决赛评分系统";
pub const APP_NAME: &str = "judgedesk";
pub const POOLS: &str = "赛项组别";
pub const RESULTS: &str = "成绩与奖项";
pub const COMPLETE: &str = "成绩完整";
pub const INCOMPLETE: &str = "成绩未完整";
pub const PARTICIPANTS: &str = "实际参赛";
pub const QUOTA: &str = "获奖名额（一/二/三）";
pub const MISSING_ITEMS: &str = "待录入";
pub const NO_CONTESTANTS: &str = "本赛项组别暂无选手";
pub const COL_RANK: &str = "名次";
pub const COL_WORKSTATION: &str = "工位";
pub const COL_NAME: &str = "姓名";
pub const COL_UNIT: &str = "单位";
pub const COL_STATUS: &str = "状态";
pub const COL_THEORY: &str = "理论";
pub const COL_PRACTICAL: &str = "操作";
pub const COL_TOTAL: &str = "总成绩";
pub const COL_PRIZE: &str = "奖项";
pub const COL_LEVEL: &str = "技能等级";
pub const COL_EXPERT: &str = "技术能手";
pub const COL_TITLE: &str = "职称";
pub const COL_TIE_BREAK: &str = "并列区分";
pub const YES: &str = "是";
pub const ALREADY_HELD: &str = "（已持有）";
pub const VENUE: &str = "决赛地点";
pub const STATE: &str = "状态";
pub const RELOAD: &str = "刷新";
pub const DATABASE: &str = "数据库";
pub const OVERFLOW: &str = "并列超出名额";
pub const SPREAD_FLAGS: &str = "评分差异过大";
pub const CONFLICTS: &str = "客观分不一致";
pub const OPEN_FAILED: &str = "无法打开数据库";

/// `一等奖 并列 3 人超出名额 2（名次 2）`.
pub fn overflow_line(prize: &str, rank: u32, tied: u32, limit: u32) -> String {
    format!("{prize}: 名次 {rank} 并列 {tied} 人，累计名额 {limit}，均获{prize}")
}

/// `由 操作技能成绩 区分`.
pub fn tie_break_reason(breaker: &str) -> String {
    format!("由{breaker}区分")
}
