//! `applies_if = "role"` on a rule: the rule only runs in repositories where that governance role
//! is present. Mentoring rules use it, so a project without a mentoring program is not asked for an
//! ideas list or a timeline.

use super::{Check, Emitter, RepoContext};

#[derive(Debug)]
pub struct AppliesIf {
    pub role: String,
    pub check: Box<dyn Check>,
}

impl Check for AppliesIf {
    fn run(&self, cx: &RepoContext<'_>, out: &mut Emitter<'_>) {
        if !cx.artifacts.resolve(&self.role).files.is_empty() {
            self.check.run(cx, out);
        }
    }

    fn roles(&self) -> Vec<&str> {
        let mut roles = self.check.roles();
        roles.push(&self.role);
        roles
    }
}
