//! The organization view: the assessments of many repositories summed up — how many sit at each
//! stage, petal coverage across the organization, the most common gaps and who is furthest behind.

use std::cmp::Reverse;
use std::collections::HashMap;

use serde::Serialize;

use super::assess::{Assessment, Progress, BELOW_AWARENESS};
use super::{Petal, Stage};

/// How many repositories the "furthest behind" list names.
pub const FURTHEST_BEHIND: usize = 10;

#[derive(Debug, Clone, Serialize)]
pub struct Rollup {
    pub repositories: usize,
    /// Below Awareness first, then every stage.
    pub stages: Vec<StageCount>,
    /// Repositories by highest engagement stage shown; `stage: null` for none.
    pub engagement: Vec<EngagementCount>,
    pub petals: Vec<PetalCoverage>,
    /// Every rule that is a gap somewhere, most frequent first.
    pub common_gaps: Vec<CommonGap>,
    pub furthest_behind: Vec<Behind>,
}

#[derive(Debug, Clone, Serialize)]
pub struct StageCount {
    pub stage: Option<Stage>,
    pub title: &'static str,
    pub repositories: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct EngagementCount {
    pub stage: Option<String>,
    pub title: String,
    pub repositories: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct PetalCoverage {
    pub petal: Petal,
    pub title: &'static str,
    /// Weighted passed/total over every repository.
    pub coverage: Progress,
    /// Repositories where some rule of the petal has findings.
    pub repositories_with_open_rules: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct CommonGap {
    pub rule: String,
    pub title: String,
    pub stage: Stage,
    pub petal: Petal,
    /// Repositories with this rule among their gaps to the next stage.
    pub count: usize,
    /// `count` as a percentage of the repositories, one decimal.
    pub share: f64,
    /// Of those, the repositories where the rule gates the next stage.
    pub gating: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Behind {
    pub path: String,
    pub stage: Option<Stage>,
    pub stage_title: &'static str,
    pub next: Option<Stage>,
    /// Progress at the next stage.
    pub next_progress: Progress,
    /// Gating rules of the next stage that fail.
    pub gates_failing: usize,
    /// Requirements of the next stage that are not met.
    pub requirements_unmet: usize,
}

impl Rollup {
    pub fn of(assessments: &[Assessment]) -> Rollup {
        let n = assessments.len();
        let mut stages: Vec<StageCount> = std::iter::once(StageCount {
            stage: None,
            title: BELOW_AWARENESS,
            repositories: 0,
        })
        .chain(Stage::ALL.iter().map(|&s| StageCount {
            stage: Some(s),
            title: s.title(),
            repositories: 0,
        }))
        .collect();
        let mut engagement = vec![EngagementCount {
            stage: None,
            title: "None shown".to_string(),
            repositories: 0,
        }];
        let mut petals: Vec<PetalCoverage> = Petal::ALL
            .iter()
            .map(|&p| PetalCoverage {
                petal: p,
                title: p.title(),
                coverage: Progress::default(),
                repositories_with_open_rules: 0,
            })
            .collect();
        let mut gaps: Vec<CommonGap> = Vec::new();
        let mut gap_index: HashMap<String, usize> = HashMap::new();

        for a in assessments {
            stages[a.stage.map_or(0, |s| s as usize + 1)].repositories += 1;

            for e in &a.engagement.stages {
                if !engagement
                    .iter()
                    .any(|c| c.stage.as_deref() == Some(e.id.as_str()))
                {
                    engagement.push(EngagementCount {
                        stage: Some(e.id.clone()),
                        title: e.title.clone(),
                        repositories: 0,
                    });
                }
            }
            let shown = a.engagement.stage.as_deref();
            if let Some(count) = engagement.iter_mut().find(|c| c.stage.as_deref() == shown) {
                count.repositories += 1;
            }

            for p in &a.petals {
                let total = &mut petals[p.petal as usize];
                total.coverage.merge(p.coverage);
                if !p.open.is_empty() {
                    total.repositories_with_open_rules += 1;
                }
            }

            for g in &a.gaps {
                let i = *gap_index.entry(g.rule.clone()).or_insert_with(|| {
                    gaps.push(CommonGap {
                        rule: g.rule.clone(),
                        title: g.title.clone(),
                        stage: g.stage,
                        petal: g.petal,
                        count: 0,
                        share: 0.0,
                        gating: 0,
                    });
                    gaps.len() - 1
                });
                gaps[i].count += 1;
                if g.gating {
                    gaps[i].gating += 1;
                }
            }
        }
        for g in &mut gaps {
            g.share = share(g.count, n);
        }
        gaps.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.rule.cmp(&b.rule)));

        let mut behind: Vec<Behind> = assessments
            .iter()
            .map(|a| {
                let next = a.next.and_then(|s| a.stages.get(s as usize));
                Behind {
                    path: a.path.clone(),
                    stage: a.stage,
                    stage_title: a.stage_title,
                    next: a.next,
                    next_progress: next.map_or_else(Progress::default, |s| s.progress),
                    gates_failing: next.map_or(0, |s| s.gates.iter().filter(|g| !g.passed).count()),
                    requirements_unmet: next
                        .map_or(0, |s| s.requirements.iter().filter(|r| !r.met).count()),
                }
            })
            .collect();
        behind.sort_by_key(|b| {
            (
                b.stage,
                b.next_progress.percent().unwrap_or(0),
                Reverse(b.gates_failing),
                b.path.clone(),
            )
        });
        behind.truncate(FURTHEST_BEHIND);

        Rollup {
            repositories: n,
            stages,
            engagement,
            petals,
            common_gaps: gaps,
            furthest_behind: behind,
        }
    }
}

/// `count` of `n` in percent, rounded to one decimal.
fn share(count: usize, n: usize) -> f64 {
    if n == 0 {
        return 0.0;
    }
    ((count * 1000 + n / 2) / n) as f64 / 10.0
}

#[cfg(test)]
mod tests {
    use super::share;

    #[test]
    fn shares_round_to_one_decimal() {
        assert_eq!(share(1, 3), 33.3);
        assert_eq!(share(2, 3), 66.7);
        assert_eq!(share(0, 0), 0.0);
        assert_eq!(share(5, 5), 100.0);
    }
}
