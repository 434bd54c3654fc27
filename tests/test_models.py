"""il2edu.models: analytic checks, checks against the literature, and input validation."""

from __future__ import annotations

import math

import numpy as np
import pytest

from il2edu import parameters
from il2edu.models import binding, pk, population, response

CELLS = ["treg", "cd4", "nk", "cd8"]


# --- binding -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["kd_alpha", "kd_dimer", "kd_trimer"])
def test_occupancy_is_one_half_at_the_dissociation_constant(name):
    kd = parameters.value("binding", name)
    assert binding.occupancy(kd, kd) == pytest.approx(0.5)
    assert binding.occupancy(9 * kd, kd) == pytest.approx(0.9)


def test_the_three_receptor_forms_have_the_measured_affinities():
    assert parameters.value("binding", "kd_alpha") == pytest.approx(10_000)  # about 10 nM
    assert parameters.value("binding", "kd_dimer") == pytest.approx(1_000)  # about 1 nM
    assert parameters.value("binding", "kd_trimer") == pytest.approx(10)  # about 10 pM


@pytest.mark.parametrize("name", CELLS)
def test_receptor_forms_conserve_chains_and_satisfy_the_pairing_equilibrium(name):
    cell = binding.cell(name)
    forms = binding.receptor_forms(name)
    k = parameters.value("binding", "k_pairing")
    assert forms["trimer"] + forms["alpha"] == pytest.approx(cell.cd25)
    assert forms["trimer"] + forms["dimer"] == pytest.approx(min(cell.cd122, cell.gc))
    assert forms["alpha"] * forms["dimer"] == pytest.approx(k * forms["trimer"], rel=1e-9)
    assert min(forms.values()) >= 0


def test_receptor_numbers_are_the_farhat_means():
    treg = binding.cell("treg")
    nk = binding.cell("nk")
    assert (treg.cd25, treg.cd122, treg.gc) == (3600, 660, 14000)
    assert (nk.cd25, nk.cd122, nk.gc) == (23, 8800, 8300)


@pytest.mark.parametrize("name", CELLS)
def test_ec50_gives_half_of_the_cells_own_maximal_response(name):
    e = binding.ec50(name)
    assert binding.relative_response(e, name) == pytest.approx(0.5, abs=1e-9)
    assert binding.relative_response(e / 2, name) < 0.5 < binding.relative_response(e * 2, name)


def test_response_rises_with_concentration_and_saturates():
    c = np.logspace(-2, 7, 200)
    for name in CELLS:
        r = binding.relative_response(c, name)
        assert np.all(np.diff(r) > 0)
        assert r[0] < 0.01 and r[-1] > 0.99


def test_treg_ec50_is_at_least_ten_fold_below_nk_and_conventional_cd4_cells():
    e = binding.ec50s()
    assert e["nk"] >= 10 * e["treg"]
    assert e["cd4"] >= 10 * e["treg"]
    assert e["cd8"] >= 10 * e["treg"]
    assert binding.selectivity_window("nk") == pytest.approx(e["nk"] / e["treg"])
    # Tregs respond in the low picomolar range, near the high-affinity Kd
    assert 1 <= e["treg"] <= 30


def test_more_cd25_makes_tregs_more_sensitive():
    low = binding.ec50(binding.cell("treg", cd25=500))
    high = binding.ec50(binding.cell("treg", cd25=10000))
    assert high < binding.ec50("treg") < low


def test_a_cell_without_beta_gamma_chains_cannot_signal():
    silent = binding.cell("treg", cd122=0)
    assert binding.ec50(silent) == math.inf
    assert binding.complexes(1e6, silent) == 0


@pytest.mark.parametrize(
    "call, words",
    [
        (lambda: binding.occupancy(-1, 10), "concentration_pM"),
        (lambda: binding.occupancy(float("nan"), 10), "concentration_pM"),
        (lambda: binding.occupancy(1, 0), "kd_pM"),
        (lambda: binding.response(10, "macrophage"), "cell must be one of treg, cd4, nk, cd8"),
        (lambda: binding.cell("treg", cd25=-5), "cd25"),
        (lambda: binding.relative_response([1, -2], "nk"), "concentration_pM"),
        (lambda: binding.selectivity_window("treg"), "other"),
    ],
)
def test_bad_binding_arguments_name_the_argument_and_the_range(call, words):
    with pytest.raises(ValueError, match=words):
        call()


# --- pharmacokinetics -----------------------------------------------------------------------------------

def test_unit_conversions_match_the_label():
    assert pk.iu_to_ug(1e6) == pytest.approx(61, rel=0.01)  # 1 MIU ≈ 61 µg
    assert pk.iu_to_ug(18e6) == pytest.approx(1100)  # 18 MIU = 1.1 mg
    assert pk.iu_to_pmol(1e6) == pytest.approx(4000, rel=0.01)  # ≈ 4.0 nmol
    assert pk.iu_per_ml_to_pM(1) == pytest.approx(4, rel=0.01)  # 1 IU/mL ≈ 4 pM
    assert pk.iu_per_ml_to_pM(2.3) == pytest.approx(9.2, rel=0.02)  # Meropol: 10 pM ≈ 2.3 IU/mL


def test_conversions_round_trip():
    x = np.array([1.0, 330e3, 42e6])
    assert pk.ug_to_iu(pk.iu_to_ug(x)) == pytest.approx(x)
    assert pk.pmol_to_iu(pk.iu_to_pmol(x)) == pytest.approx(x)
    assert pk.pM_to_iu_per_ml(pk.iu_per_ml_to_pM(x)) == pytest.approx(x)


def test_iv_half_lives_are_within_ten_percent_of_13_and_85_minutes():
    fast, slow = pk.half_lives_min()
    assert fast == pytest.approx(13, rel=0.10)
    assert slow == pytest.approx(85, rel=0.10)


@pytest.mark.parametrize("bsa", [0.5, 1.0, 1.8, 3.0])
def test_half_lives_hold_for_every_body_size(bsa):
    assert pk.half_lives_min(body_surface_m2=bsa) == pytest.approx((13, 85))
    reg = pk.Regimen(1e6, route="iv")
    assert pk.auc_single_dose_pM_h(reg, body_surface_m2=bsa) == pytest.approx(
        pk.auc_single_dose_pM_h(reg) * 1.8 / bsa)


def test_terminal_slope_of_an_iv_bolus_gives_the_elimination_half_life():
    reg = pk.Regimen(1e6, route="iv")
    t = np.array([6.0, 10.0])  # hours: the fast phase is long gone
    c = pk.concentration(t, reg)
    half_life_min = math.log(2) / (math.log(c[0] / c[1]) / (t[1] - t[0])) * 60
    assert half_life_min == pytest.approx(85, rel=0.10)


def test_iv_bolus_peak_is_dose_over_plasma_volume():
    prm = pk.PKParams.load()
    reg = pk.Regimen(1e6, route="iv")
    c0 = pk.concentration(0.0, reg)[0]
    assert c0 == pytest.approx(pk.iu_to_pmol(1e6) / prm.central_volume_l())


@pytest.mark.parametrize(
    "reg",
    [pk.Regimen(1e6, route="iv"), pk.Regimen(1e6, route="iv", infusion_min=15), pk.Regimen(1e6, route="sc")],
    ids=["iv-bolus", "iv-infusion", "sc"],
)
def test_area_under_the_curve_is_dose_times_bioavailability_over_clearance(reg):
    t = np.concatenate([np.linspace(0, 2, 20001), np.linspace(2.0001, 200, 40000)])
    c = pk.concentration(t, reg)
    auc = float(np.sum((c[1:] + c[:-1]) * np.diff(t)) / 2)
    prm = pk.PKParams.load()
    f = 1.0 if reg.route == "iv" else prm.sc_bioavailability
    expected = f * pk.iu_to_pmol(1e6) / prm.clearance_l_per_h()
    assert auc == pytest.approx(expected, rel=0.005)
    assert pk.auc_single_dose_pM_h(reg) == pytest.approx(expected)


@pytest.mark.parametrize("preset", ["high-dose", "esprit", "low-dose-1miu"])
def test_ode_solution_agrees_with_closed_form_and_conserves_mass(preset):
    reg = pk.Regimen.preset(preset)
    t = np.linspace(0, reg.end_h() + 24, 400)
    sim = pk.simulate_compartments(t, reg)
    closed = pk.concentration(t, reg)
    assert np.allclose(sim["concentration"], closed, rtol=1e-4, atol=1e-6 * closed.max())
    total = sim["depot"] + sim["lymph"] + sim["central"] + sim["peripheral"] + sim["eliminated"] + sim["not_absorbed"]
    dose = pk.iu_to_pmol(reg.dose_iu())
    given = dose * np.array([np.sum(reg.dose_times_h() <= x) for x in t], float)
    if reg.route == "iv" and reg.infusion_min:
        # during an infusion only the part infused so far has been given
        given = dose * np.array([np.sum(np.clip((x - reg.dose_times_h()) / (reg.infusion_min / 60), 0, 1)) for x in t])
    assert np.allclose(total, given, rtol=1e-6, atol=1e-6 * dose)


def test_subcutaneous_profile_is_low_flat_and_peaks_at_two_to_six_hours():
    t = np.linspace(0, 24, 2401)
    sc = pk.concentration(t, pk.Regimen(1e6, route="sc"))
    t_max = t[np.argmax(sc)]
    assert 2 <= t_max <= 6  # Swiss label
    # Meropol 1996: daily s.c. doses up to 1.75 MIU/m2 peaked below 10 pM (seeds/data/meropol1996_sc.yaml)
    week = pk.Regimen(1.75e6, route="sc", dose_unit="IU/m2", n_doses=7)
    assert 5 < pk.concentration(pk.time_grid(week), week).max() < 10
    window = (t >= 2) & (t <= 8)
    assert sc[window].min() >= 0.6 * sc.max()  # roughly flat over the first hours


def test_repeated_doses_add_up():
    one = pk.Regimen(1e6, route="sc")
    two = pk.Regimen(1e6, route="sc", interval_h=12, n_doses=2)
    t = np.linspace(0, 48, 481)
    assert pk.concentration(t, two) == pytest.approx(
        pk.concentration(t, one) + np.where(t >= 12, pk.concentration(np.maximum(t - 12, 0), one), 0)
    )


def test_concentration_is_proportional_to_dose():
    t = np.linspace(0, 30, 301)
    a = pk.concentration(t, pk.Regimen(1e6, route="sc"))
    b = pk.concentration(t, pk.Regimen(3e6, route="sc"))
    assert b == pytest.approx(3 * a)


def test_presets_come_from_seeds_with_their_doses():
    high = pk.Regimen.preset("high-dose")
    assert (high.route, high.dose_unit, high.interval_h, high.n_doses, high.infusion_min) == ("iv", "IU/kg", 8, 14, 15)
    assert high.dose_iu(body_weight_kg=70) == pytest.approx(42e6)  # 600,000 IU/kg at 70 kg
    assert pk.Regimen.preset("esprit").dose_iu() == pytest.approx(7.5e6)
    assert pk.Regimen.preset("low-dose-1miu-m2").dose_iu(body_surface_m2=2.0) == pytest.approx(2e6)
    arms = [pk.Regimen.preset(k).dose_iu() for k in ("t1d-0.33miu", "t1d-1miu", "t1d-3miu")]
    assert arms == pytest.approx([0.33e6, 1e6, 3e6])


@pytest.mark.parametrize(
    "call, words",
    [
        (lambda: pk.Regimen(-1), "dose must be >= 0"),
        (lambda: pk.Regimen(float("nan")), "dose must be a finite number"),
        (lambda: pk.Regimen(1e6, interval_h=0), "interval_h"),
        (lambda: pk.Regimen(1e6, n_doses=0), "n_doses must be a whole number from 1 to 200"),
        (lambda: pk.Regimen(1e6, route="oral"), "route must be one of iv, sc"),
        (lambda: pk.Regimen(1e6, dose_unit="mg"), "dose_unit"),
        (lambda: pk.Regimen(1e6, route="sc", infusion_min=15), "infusion_min"),
        (lambda: pk.Regimen.preset("megadose"), "preset must be one of"),
        (lambda: pk.concentration(-1, pk.Regimen(1e6)), "t_h must be >= 0"),
        (lambda: pk.Regimen(1e6, dose_unit="IU/kg").dose_iu(body_weight_kg=0), "body_weight_kg must be from 1 to 400"),
        (lambda: pk.concentration(1, pk.Regimen(1e6), body_surface_m2=0), "body_surface_m2"),
        (lambda: pk.iu_to_ug(-3), "iu must be >= 0"),
        (lambda: pk.Regimen("lots"), "dose must be a number"),
    ],
)
def test_bad_pk_arguments_name_the_argument_and_the_range(call, words):
    with pytest.raises(ValueError, match=words):
        call()


# --- dose to response -------------------------------------------------------------------------------------

def test_time_above_threshold_on_a_known_curve():
    t = np.array([0.0, 1.0, 2.0, 3.0])
    y = np.array([0.0, 2.0, 2.0, 0.0])  # above 1 from t = 0.5 to 2.5
    assert response.time_above(t, y, 1.0) == pytest.approx(2.0)
    assert response.time_above(t, y, 5.0) == 0.0


def test_low_dose_favours_tregs_and_high_dose_reaches_every_cell_type():
    low = response.regimen_response("low-dose-1miu")
    high = response.regimen_response("high-dose")
    # With s.c. levels fitted to Meropol 1996 (peaks of a few pM), low doses never cross even the Treg
    # EC50, yet Tregs respond far more than NK or CD8 cells: partial occupancy, not a threshold.
    assert low.concentration_pM.max() < low.ec50_pM["treg"]
    assert low.mean_response["treg"] > 10 * max(low.mean_response["nk"], low.mean_response["cd8"])
    assert all(high.time_above_ec50_h[c] > 24 for c in CELLS)
    assert low.selectivity_index > 3 * high.selectivity_index
    assert high.peak_response["nk"] > 0.95


def test_t1d_arms_order_treg_exposure_by_dose():
    # Hartemann 2013: the Treg rise was dose-dependent across the three arms
    mean = [response.regimen_response(k).mean_response["treg"] for k in ("t1d-0.33miu", "t1d-1miu", "t1d-3miu")]
    assert mean[0] < mean[1] < mean[2]


# --- population ---------------------------------------------------------------------------------------------

def test_healthy_state_is_a_steady_state():
    assert population.rates(1.0, 1.0) == pytest.approx((0.0, 0.0), abs=1e-12)
    assert population.il2_level(1.0, 1.0) == pytest.approx(1.0)
    run = population.scenario("healthy")
    assert np.allclose([run.tregs, run.effectors, run.il2], 1.0, atol=1e-6)


def test_il2_deficiency_loses_tregs_and_expands_effectors():
    run = population.scenario("deficient")
    day60 = run.at(60)
    assert day60["tregs"] < 0.8
    assert day60["effectors"] > 1.3


def test_low_dose_restores_tregs_without_expanding_effectors():
    run = population.scenario("low-dose")
    before, after = run.at(59), run.at(120)
    assert after["tregs"] >= 1.0 > before["tregs"]
    assert after["effectors"] <= 1.0 < before["effectors"]
    assert run.effectors[run.t_days >= 60].max() <= before["effectors"] * 1.1


def test_high_dose_expands_effectors_too():
    run = population.scenario("high-dose")
    after = run.at(120)
    assert after["tregs"] > 3
    assert after["effectors"] > 2


def test_population_scenarios_come_from_seeds():
    sc = population.scenarios()
    assert set(sc) >= {"healthy", "deficient", "low-dose", "high-dose"}
    assert sc["deficient"]["production"] == 0.5


@pytest.mark.parametrize(
    "call, words",
    [
        (lambda: population.simulate(production=-0.1), "production must be from 0 to 2"),
        (lambda: population.simulate(dose=float("nan")), "dose must be a finite number"),
        (lambda: population.simulate(dose=-1), "dose"),
        (lambda: population.simulate(days=0), "days"),
        (lambda: population.scenario("zombie"), "scenario must be one of"),
    ],
)
def test_bad_population_arguments_name_the_argument(call, words):
    with pytest.raises(ValueError, match=words):
        call()


# --- properties over the allowed ranges ---------------------------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=60, deadline=None)
@given(c=st.floats(0, 1e9), cd25=st.floats(0, 1e5), cd122=st.floats(0, 1e5), name=st.sampled_from(CELLS))
def test_responses_stay_between_zero_and_one(c, cd25, cd122, name):
    cell = binding.cell(name, cd25=cd25, cd122=cd122)
    r = binding.relative_response(c, cell)
    assert 0.0 <= r <= 1.0 + 1e-12
    forms = binding.receptor_forms(cell)
    assert min(forms.values()) >= -1e-9


@settings(max_examples=40, deadline=None)
@given(dose=st.floats(1e3, 1e8), route=st.sampled_from(["iv", "sc"]), interval=st.floats(1, 72),
       n=st.integers(1, 20), bsa=st.floats(0.5, 3.0))
def test_concentrations_are_finite_and_never_negative(dose, route, interval, n, bsa):
    reg = pk.Regimen(dose, route=route, interval_h=interval, n_doses=n, infusion_min=15 if route == "iv" else 0)
    c = pk.concentration(pk.time_grid(reg), reg, body_surface_m2=bsa)
    assert np.all(np.isfinite(c)) and np.all(c >= 0)


@settings(max_examples=40, deadline=None)
@given(bad=st.one_of(st.floats(max_value=-1e-9), st.just(float("nan")), st.just(float("inf")), st.text(max_size=5)))
def test_bad_values_give_one_line_errors(bad):
    for call in (lambda: binding.occupancy(bad, 10), lambda: pk.Regimen(bad), lambda: population.simulate(dose=bad)):
        with pytest.raises(ValueError) as err:
            call()
        assert "\n" not in str(err.value)


def test_with_kd_changes_only_the_named_affinity_and_checks_it():
    from il2edu.models import binding

    natural = binding.BindingParams.load()
    variant = natural.with_kd(kd_dimer=10 * natural.kd_dimer)
    assert variant.kd_dimer == 10 * natural.kd_dimer
    assert (variant.kd_trimer, variant.kd_alpha, variant.k_pairing) == (
        natural.kd_trimer, natural.kd_alpha, natural.k_pairing)
    # weaker beta binding moves the dimer-bearing NK cells more than the Tregs: the window widens
    assert binding.selectivity_window("nk", variant) > binding.selectivity_window("nk", natural)
    with pytest.raises(ValueError, match="kd_dimer"):
        natural.with_kd(kd_dimer=-1)
    with pytest.raises(ValueError, match="affinity must be one of"):
        natural.with_kd(k_on=1)


def test_ec50s_rounded_for_learners_keep_three_significant_figures():
    from il2edu.models import binding

    exact, shown = binding.ec50s(), binding.ec50s(digits=3)
    for name, value in exact.items():
        assert shown[name] == float(f"{value:.3g}")
        assert abs(shown[name] - value) <= 0.005 * value


def test_cd56_bright_nk_subset_responds_at_low_dose_where_nk_cells_as_a_whole_barely_do():
    from il2edu.models import evidence

    bright = binding.subset("nk_cd56bright")
    forms = binding.receptor_forms(bright)
    assert forms["trimer"] == pytest.approx(1200, rel=0.05)  # jem1990_cd16neg_nk: about 1,200 high-affinity
    assert forms["dimer"] == pytest.approx(9600, rel=0.05)  # and 9,600 intermediate-affinity receptors
    gvhd = response.regimen_response("low-dose-1miu-m2")
    b = evidence.subset_mean_response("low-dose-1miu-m2")
    assert b > 5 * gvhd.mean_response["nk"]
    assert 0.3 * gvhd.mean_response["treg"] < b < gvhd.mean_response["treg"]
    assert "nk_cd56bright" not in binding.cell_type_names()  # explorers draw only the four cell types
    with pytest.raises(ValueError, match="subset must be one of nk_cd56bright"):
        binding.subset("nk_dim")
