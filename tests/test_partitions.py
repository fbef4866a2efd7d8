"""scoring[dask]: a Dask DataFrame scored partition by partition on a dask.distributed LocalCluster gives exactly
the frame score_batch gives in one process."""
from __future__ import annotations

import json

import pandas as pd
import pytest

dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("dask.distributed")

from scoring import InputError, score_batch  # noqa: E402
from scoring.partitions import goals_frame, score_partitions  # noqa: E402

from generated import generated  # noqa: E402


def _by_project(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows of a project together, each project's rows in table order."""
    return frame.sort_values("project", kind="stable").reset_index(drop=True)


@pytest.fixture(scope="module")
def client():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) \
            as cluster, distributed.Client(cluster) as client:
        yield client


@pytest.fixture
def files(tmp_path, sample_goals, sample_actuals):
    """Goals in four files (three of generated projects, one the sample project, a real seed table) and actuals
    in two CSV files, the way a bureau keeps them."""
    goals, rows = generated(120)
    projects = goals["projects"]
    paths = []
    for number, part in enumerate((projects[:50], projects[50:90], projects[90:])):
        path = tmp_path / f"goals_{number}.json"
        path.write_text(json.dumps({"projects": part}, ensure_ascii=False), encoding="utf-8")
        paths.append(path)
    paths.append(sample_goals)
    sample = json.loads(sample_goals.read_text(encoding="utf-8"))
    sample_rows = pd.read_csv(sample_actuals, dtype=str, keep_default_na=False).set_axis(
        ["id", "indicator", "actual", "note"], axis=1).assign(project=sample["project"])
    actuals = pd.concat([pd.DataFrame(rows), sample_rows], ignore_index=True).fillna("")
    actuals = actuals[["project", "id", "indicator", "actual", "note"]]
    csvs = [tmp_path / "actuals_0.csv", tmp_path / "actuals_1.csv"]
    actuals.iloc[:400].to_csv(csvs[0], index=False)
    actuals.iloc[400:].to_csv(csvs[1], index=False)
    single = score_batch({"projects": projects + [sample]}, actuals)
    return paths, csvs, single


def test_partitions_on_a_local_cluster_equal_the_single_process_run(client, files):
    goal_paths, actual_paths, single = files
    goals = dd.from_map(goals_frame, goal_paths)
    actuals = dd.read_csv(actual_paths, dtype=str, keep_default_na=False)
    scored = score_partitions(goals, actuals, npartitions=3).compute()
    assert len(scored) == len(single) == sum(len(goals_frame(p)) for p in goal_paths)
    pd.testing.assert_frame_equal(_by_project(scored), _by_project(single))


def test_a_project_split_over_partitions_is_scored_whole(client, files):
    """Indicators of one project in several input partitions share the project's points as in one process."""
    goal_paths, actual_paths, single = files
    goals = dd.from_pandas(pd.concat([goals_frame(p) for p in goal_paths], ignore_index=True), npartitions=7)
    actuals = dd.from_pandas(pd.concat([pd.read_csv(p, dtype=str, keep_default_na=False) for p in actual_paths],
                                       ignore_index=True), npartitions=5)
    scored = score_partitions(goals, actuals).compute()
    pd.testing.assert_frame_equal(_by_project(scored), _by_project(single))


def test_frames_without_a_project_column_are_refused():
    goals = dd.from_pandas(pd.DataFrame({"id": ["1"], "level3": ["x"], "target": ["≥1人"]}), npartitions=1)
    actuals = dd.from_pandas(pd.DataFrame({"project": ["P"], "id": ["1"], "actual": ["1人"]}), npartitions=1)
    with pytest.raises(InputError, match="goals frame needs a `project` column"):
        score_partitions(goals, actuals)
    with pytest.raises(InputError, match=r"actuals frame needs a 项目名称 \(project\) column"):
        score_partitions(goals.assign(project="P"), actuals.drop(columns="project"))


_PROJECTS = [f"项目{i}" for i in range(8)]  # two indicators each, ids 1 and 2


@pytest.mark.parametrize("actuals", [
    # a trailing space from Excel: matching reads "项目1 " as 项目1
    pd.DataFrame({"project": [f"{name} " for name in _PROJECTS for _ in "12"], "id": list("12") * 8,
                  "actual": "5次"}),
    pd.DataFrame({"项目名称": [name for name in _PROJECTS for _ in "12"], "指标编号": list("12") * 8,
                  "实际完成值": "5次"}),  # the headers of the actuals form
    # a 项目名称 merged over a project's two rows: the row below belongs to it
    pd.DataFrame({"project": [cell for name in _PROJECTS for cell in (name, "")], "id": list("12") * 8,
                  "actual": "5次"}),
], ids=["names-as-matching-reads-them", "chinese-headers", "merged-project-cells"])
def test_actuals_reach_their_projects_partition_as_score_batch_reads_them(client, actuals):
    goals = pd.DataFrame({"project": [name for name in _PROJECTS for _ in "12"], "id": list("12") * 8,
                          "level1": "产出指标", "level2": "数量指标", "level3": ["数量", "次数"] * 8, "target": "≥5次"})
    single = score_batch(goals, actuals)
    assert list(single["status"]) == ["达成"] * 16  # 5 ≥ 5 everywhere
    scored = score_partitions(dd.from_pandas(goals, npartitions=4), dd.from_pandas(actuals, npartitions=3))
    pd.testing.assert_frame_equal(_by_project(scored.compute()), _by_project(single))


def test_a_project_name_the_actuals_form_marked_as_text_reaches_its_partition(client):
    # the form writes a name starting like a formula with a leading ' (cells.neutralise); the reader takes it off
    names = ["=公式项目", "普通项目"]
    goals = pd.DataFrame({"project": names, "id": "1", "level1": "产出指标", "level2": "数量指标", "level3": "数量",
                          "target": "≥5次"})
    actuals = pd.DataFrame({"project": ["'=公式项目", "普通项目"], "id": "1", "actual": "5次"})
    single = score_batch(goals, actuals)
    assert list(single["status"]) == ["达成", "达成"]  # 5 ≥ 5
    scored = score_partitions(dd.from_pandas(goals, npartitions=2), dd.from_pandas(actuals, npartitions=2))
    pd.testing.assert_frame_equal(_by_project(scored.compute()), _by_project(single))
