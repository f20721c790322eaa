from style_core import StyleConfig, preset
from style_core.grid import GridCell, compose_grid, plan_grid, run_grid
from style_core.transfer import stylize


def finished_cells(events) -> list[GridCell]:
    return [event for event in events if isinstance(event, GridCell)]


def test_strength_by_layers_plan_is_the_papers_figure_3_layout(style_path):
    plan = plan_grid("strength x layers", StyleConfig(size=64, scales=1, iterations=2), [style_path], ["style"])
    assert plan.row_labels == ["relu1_1", "relu1_1..relu3_1", "relu1_1..relu5_1"]
    assert plan.column_labels == ["alpha/beta 1e-02", "alpha/beta 1e-03", "alpha/beta 1e-04"]
    assert len(plan.runs) == 9
    assert list(plan.runs[-1][2].style_layers) == ["relu1_1", "relu2_1", "relu3_1", "relu4_1", "relu5_1"]


def test_the_figure_3_sweep_starts_from_noise_unless_another_start_is_chosen(style_path):
    starts = {}
    for init in ("feedforward", "content"):
        plan = plan_grid("strength x layers", StyleConfig(size=64, init=init), [style_path], ["style"])
        starts[init] = {config.init for _, _, config, _ in plan.runs}
    assert starts == {"feedforward": {"noise"}, "content": {"content"}}


def test_a_styles_grid_runs_and_is_labelled(content_path, style_path, second_style_path, device):
    plan = plan_grid(
        "styles", StyleConfig(size=64, scales=1, iterations=2), [style_path, second_style_path], ["a", "b"]
    )
    cells = finished_cells(run_grid(content_path, plan, device=device))
    assert [(c.row, c.column) for c in cells] == [(0, 0), (0, 1)]
    grid = compose_grid(cells, plan.row_labels, plan.column_labels)
    assert grid.width == 2 * 64 and grid.height == 24 + cells[0].image.height


def test_compose_grid_leaves_room_for_row_labels():
    from PIL import Image

    cells = [GridCell(r, c, Image.new("RGB", (10, 8), "red")) for r in range(2) for c in range(3)]
    grid = compose_grid(cells, ["top", "bottom"], ["x", "y", "z"])
    assert grid.size == (130 + 30, 24 + 16)


def test_the_presets_grid_plans_every_preset_small_and_labels_it(style_path):
    from style_core import PRESETS
    from style_core.grid import MAX_CELL_STEPS, quick

    plan = plan_grid("presets", quick(StyleConfig(), 64), [style_path], ["style"])
    # A preset whose schedule is cut short says so; gatys2015 keeps its look, over the default's scales. At 64 px
    # thorough has one scale, cheap enough to run whole.
    assert plan.column_labels == [f"{name} (short)" if name == "gatys2015" else name for name in PRESETS]
    assert all(config.size == 64 for _, _, config, _ in plan.runs)
    assert plan.runs[0][2].iterations == MAX_CELL_STEPS
    assert plan.runs[-1][2].scale_iterations() == preset("thorough").replace(size=64).scale_iterations()
    assert plan.runs[0][2].pooling == "avg" and plan.runs[0][2].init == "noise" and plan.runs[0][2].scales > 1
    # tests/test_controls.py runs a presets grid and checks its cells are distinct pictures.


def test_a_long_schedule_is_cut_in_proportion_to_fit_its_cell():
    from style_core.cost import run_units
    from style_core.grid import MAX_CELL_COST, MAX_CELL_STEPS, is_short, quick

    thorough = preset("thorough")
    cell = quick(thorough, 192)
    assert is_short(thorough, 192) and not is_short(preset("balanced"), 192)
    # Its steps fall at every scale, in its own proportions, as far as the budget needs and no further.
    assert cell.fine_steps_ratio == thorough.fine_steps_ratio and cell.scales == thorough.scales
    assert MAX_CELL_STEPS < cell.iterations < thorough.iterations
    budget = MAX_CELL_COST * run_units(StyleConfig(size=192))
    assert run_units(cell) <= budget < run_units(cell.replace(iterations=cell.iterations + 1))


def test_the_keep_colors_cell_recolours_the_balanced_cell_instead_of_running_again(
    content_path, style_path, monkeypatch
):
    from bench.quality import difference
    from style_core import grid, stylize_image
    from style_core.grid import plan_units, quick

    base = quick(StyleConfig(scales=2, iterations=4), 64)
    runs = [(0, 0, base, [style_path]), (0, 1, base.replace(color="luminance"), [style_path])]
    plan = grid.GridPlan([""], ["off", "luminance"], runs)
    optimised = []
    monkeypatch.setattr(grid, "stylize", lambda *args, **kwargs: optimised.append(args) or stylize(*args, **kwargs))
    cells = finished_cells(run_grid(content_path, plan))
    assert len(optimised) == 1  # colour "luminance" changes only the finished picture: one optimisation serves both
    # What a run of its own would have made, to the rounding of 8-bit pixels (0-255).
    own = stylize_image(content_path, style_path, base.replace(color="luminance"))
    assert difference(cells[1].image, own) < 0.5 < difference(cells[0].image, own)
    # The grid's expected time counts one run, as the page's estimate should.
    assert plan_units(plan) == plan_units(grid.GridPlan([""], ["off"], plan.runs[:1]))


def test_a_grids_estimate_counts_what_its_cells_share_and_how_deep_each_runs():
    from style_core.grid import plan_of_size, run_costs

    # Figure 3, row by row (relu1_1, relu1_1..relu3_1, relu1_1..relu5_1), a strength to each column.
    costs = run_costs(plan_of_size("strength x layers", StyleConfig(), 1, 128))
    # Only the first cell loads the network and works out the painting's targets: the others reuse them.
    assert costs[0] > costs[1] == costs[2]
    # The first two rows stop the network at relu4_2 (the content layer), the last runs it to relu5_1.
    assert costs[1] == costs[4] < costs[7]
    # Each painting of a styles grid has its targets worked out.
    styles = run_costs(plan_of_size("styles", StyleConfig(), 3, 128))
    assert styles[0] == styles[1] == styles[2]
