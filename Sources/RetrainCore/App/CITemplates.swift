/// The CI jobs `retrain init --ci` writes into a user's repository, and `examples/ci/` holds
/// (written by `retrain init` with no `--source`: a test keeps them equal). They do not build the
/// user's checkout, which has no Package.swift: they build retrain from its own source at a pinned
/// ref (`RETRAIN_GIT`, `RETRAIN_REF`), cache the installed tree by that ref, then run `validate
/// --format github` (annotations) and post `plan --base … --format markdown`.
public enum CITemplates {
    /// Where retrain's source comes from when `--source` is not given: a variable of the CI system
    /// the user sets once.
    public static let githubSourceVariable = "${{ vars.RETRAIN_GIT }}"
    public static let gitlabSourceVariable = "$RETRAIN_GIT_URL"

    /// The GitHub Actions workflow (`.github/workflows/retrain.yml`).
    public static func github(source: String?, ref: String) -> String {
        """
        # .github/workflows/retrain.yml (written by `retrain init --ci github`): on every pull request that
        # changes schedules, annotate each problem on its line (`retrain validate --format github`) and
        # post what the change will do (`retrain plan --base`) as the job summary and a comment.
        # retrain is built from its own source at RETRAIN_REF (not from this repository), installed under
        # RETRAIN_PREFIX, and cached by that ref: the first run builds it (a few minutes), later runs reuse it.
        name: schedules
        on:
          pull_request:
            paths: ["schedules/**", "retrain.yaml"]
        permissions:
          contents: read
          pull-requests: write
        env:
          RETRAIN_GIT: \(source.map(yamlQuoted) ?? githubSourceVariable)\(source == nil ? "   # retrain's git URL: set the repository variable RETRAIN_GIT" : "")
          RETRAIN_REF: \(yamlQuoted(ref))               # the retrain release (tag or commit) this repository pins
          RETRAIN_PREFIX: /opt/retrain
        jobs:
          validate-and-plan:
            runs-on: ubuntu-latest
            container: swift:6.3            # Swift to build retrain; any Debian or Ubuntu image with Swift 6.3
            steps:
              - uses: actions/checkout@v4
                with: {fetch-depth: 0}      # plan --base reads the base branch's commits
              - name: Install system packages
                run: apt-get update -qq && apt-get install -y -qq --no-install-recommends git make pkg-config libyaml-dev libmimalloc-dev tzdata
              - name: Cache retrain
                id: cache
                uses: actions/cache@v4
                with:
                  path: ${{ env.RETRAIN_PREFIX }}
                  key: retrain-${{ env.RETRAIN_REF }}-${{ runner.os }}-${{ runner.arch }}
              - name: Build retrain at the pinned ref
                if: steps.cache.outputs.cache-hit != 'true'
                run: |
                  git init -q /tmp/retrain-src
                  git -C /tmp/retrain-src fetch -q --depth 1 "$RETRAIN_GIT" "$RETRAIN_REF"
                  git -C /tmp/retrain-src checkout -q FETCH_HEAD
                  make -C /tmp/retrain-src install PREFIX="$RETRAIN_PREFIX"
              - name: Validate schedules
                run: |
                  git config --global --add safe.directory "$GITHUB_WORKSPACE"
                  "$RETRAIN_PREFIX/bin/retrain" validate --format github --strict
              - name: Plan
                run: |
                  "$RETRAIN_PREFIX/bin/retrain" plan --base "origin/$GITHUB_BASE_REF" --format markdown > plan.md
                  cat plan.md >> "$GITHUB_STEP_SUMMARY"
              - name: Comment the plan on the pull request
                uses: marocchino/sticky-pull-request-comment@v2
                with: {path: plan.md}

        """
    }

    /// The GitLab CI job (`.gitlab/retrain.gitlab-ci.yml`, included from `.gitlab-ci.yml`).
    public static func gitlab(source: String?, ref: String) -> String {
        """
        # .gitlab/retrain.gitlab-ci.yml (written by `retrain init --ci gitlab`; include it from .gitlab-ci.yml):
        # in merge requests that change schedules, check them (file:line:column and a caret; JSON kept as
        # an artifact) and show what the change will do (`retrain plan --base`, kept as plan.md).
        # retrain is built from its own source at RETRAIN_REF (not from this repository), installed in
        # .retrain-tool/ and cached by that ref: the first pipeline builds it, later ones reuse it.
        validate-schedules:
          image: swift:6.3                  # Swift to build retrain; any Debian or Ubuntu image with Swift 6.3
          rules:
            - if: $CI_PIPELINE_SOURCE == "merge_request_event"
              changes: ["schedules/**/*", "retrain.yaml"]
          variables:
            GIT_DEPTH: 0                    # plan --base needs the target branch's commits
            RETRAIN_GIT: \(source.map(yamlQuoted) ?? gitlabSourceVariable)\(source == nil ? "   # retrain's git URL: set the CI/CD variable RETRAIN_GIT_URL" : "")
            RETRAIN_REF: \(yamlQuoted(ref))             # the retrain release (tag or commit) this repository pins
            RETRAIN_PREFIX: $CI_PROJECT_DIR/.retrain-tool
          cache:
            key: retrain-$RETRAIN_REF
            paths: [.retrain-tool/]
          before_script:
            - apt-get update -qq && apt-get install -y -qq --no-install-recommends git make pkg-config libyaml-dev libmimalloc-dev tzdata
            - |
              if [ ! -x "$RETRAIN_PREFIX/bin/retrain" ]; then
                git init -q /tmp/retrain-src
                git -C /tmp/retrain-src fetch -q --depth 1 "$RETRAIN_GIT" "$RETRAIN_REF"
                git -C /tmp/retrain-src checkout -q FETCH_HEAD
                make -C /tmp/retrain-src install PREFIX="$RETRAIN_PREFIX"
              fi
          script:
            - '"$RETRAIN_PREFIX/bin/retrain" validate --format json > validate.json || true'
            - '"$RETRAIN_PREFIX/bin/retrain" validate --strict'
            - git fetch -q origin "$CI_MERGE_REQUEST_TARGET_BRANCH_NAME"
            - '"$RETRAIN_PREFIX/bin/retrain" plan --base "origin/$CI_MERGE_REQUEST_TARGET_BRANCH_NAME" --format markdown | tee plan.md'
          artifacts:
            when: always
            paths: [validate.json, plan.md]

        """
    }

    /// `.gitlab-ci.yml` when the repository has none: it includes the job.
    public static let gitlabInclude = """
        # .gitlab-ci.yml (written by `retrain init --ci gitlab`)
        include:
          - local: .gitlab/retrain.gitlab-ci.yml

        """

    /// `text` as a YAML scalar: plain when that reads back as the same text, else double-quoted.
    static func yamlQuoted(_ text: String) -> String {
        let plain =
            !text.isEmpty && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "/._-:@+".contains($0)) }
            && !(text.first.map { "-:@".contains($0) } ?? true) && !text.contains(": ") && Double(text) == nil
        return plain ? text : "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
