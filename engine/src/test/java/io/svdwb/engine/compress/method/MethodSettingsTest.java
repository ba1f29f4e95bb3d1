package io.svdwb.engine.compress.method;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Options as the methods declare them: parsing, ranges, the stored text form, and which method owns which option. */
class MethodSettingsTest {

    private static final MethodOption.Number ALPHA = MethodOption.Number.real("alpha", 0.5, 0, 4, "exponent");
    private static final MethodOption.Number LAYERS = MethodOption.Number.integer("layers", 0, 0, 32, "layer count");
    private static final MethodOption.Choice MODE = new MethodOption.Choice("mode", List.of("fast", "exact"), "exact", "how");
    private static final MethodOption.Choice SWITCH = MethodOption.Choice.onOff("switch", false, "on or off");
    private static final MethodOption.Numbers STEPS = new MethodOption.Numbers("steps", new double[] {1, 2, 3}, "per phase");
    private static final MethodOption.Text FILE = new MethodOption.Text("file", "", "a file");
    private static final List<MethodOption> ALL = List.of(ALPHA, LAYERS, MODE, SWITCH, STEPS, FILE);

    @Test
    void defaultsAreTheDeclaredOnesAndSettingMakesACopy() {
        MethodSettings defaults = MethodSettings.defaults(ALL);
        MethodSettings changed = defaults.with("alpha", "1.25").with("layers", "3").with("mode", "FAST").with("switch", "on")
                .with("steps", "4,5,6").with("file", "/tmp/x");
        assertThat(defaults.number(ALPHA)).isEqualTo(0.5);
        assertThat(defaults.on(SWITCH)).isFalse();
        assertThat(changed.number(ALPHA)).isEqualTo(1.25);
        assertThat(changed.integer(LAYERS)).isEqualTo(3);
        assertThat(changed.choice(MODE)).isEqualTo("fast");
        assertThat(changed.on(SWITCH)).isTrue();
        assertThat(changed.numbers(STEPS)).containsExactly(4, 5, 6);
        assertThat(changed.text(FILE)).isEqualTo("/tmp/x");
    }

    @Test
    void theTextFormReadsBackToEqualSettings() {
        MethodSettings changed = MethodSettings.defaults(ALL).with("alpha", "0.1").with("layers", "7").with("steps", "0.5,2,1e-3");
        Map<String, String> stored = changed.asText();
        assertThat(stored).containsEntry("alpha", "0.1").containsEntry("layers", "7").containsEntry("steps", "0.5,2,0.001");
        assertThat(MethodSettings.defaults(ALL).withAll(stored)).isEqualTo(changed);
        // keys a method does not declare are left to the methods that do
        assertThat(MethodSettings.defaults(List.of(ALPHA)).withAll(stored).number(ALPHA)).isEqualTo(0.1);
    }

    @Test
    void badValuesAreNamedWithWhatTheOptionTakes() {
        MethodSettings s = MethodSettings.defaults(ALL);
        assertThatThrownBy(() -> s.with("alpha", "5")).hasMessage("--alpha must be in [0.0, 4.0], got 5.0");
        assertThatThrownBy(() -> s.with("alpha", "NaN")).hasMessage("--alpha must be in [0.0, 4.0], got NaN");
        assertThatThrownBy(() -> s.with("alpha", "high")).hasMessage("--alpha takes a number, got 'high'");
        assertThatThrownBy(() -> s.with("layers", "2.5")).hasMessage("--layers must be an integer in [0, 32], got 2.5");
        assertThatThrownBy(() -> s.with("mode", "slow")).hasMessage("--mode must be one of fast, exact, got 'slow'");
        assertThatThrownBy(() -> s.with("steps", "1,2")).hasMessage("--steps takes 3 comma-separated numbers, got '1,2'");
        assertThatThrownBy(() -> s.with("speed", "1")).hasMessage("unknown option --speed; this method takes --alpha, --layers, "
                + "--mode, --switch, --steps, --file");
        assertThatThrownBy(() -> MethodSettings.defaults(List.of()).with("alpha", "1")).hasMessage("unknown option --alpha; this method takes none");
        assertThatThrownBy(() -> MethodSettings.defaults(List.of(ALPHA, ALPHA))).hasMessage("option alpha is declared twice");
        assertThatThrownBy(() -> MethodOption.Number.real("Alpha", 0, 0, 1, "")).hasMessageContaining("lower-case words");
    }

    @Test
    void anOptionOfAnotherMethodIsNotRead() {
        MethodSettings svdLlm = MethodId.SVD_LLM.defaults();
        assertThatThrownBy(() -> svdLlm.number(AsvdMethod.ALPHA)).hasMessage("option asvd-alpha is not one of this method's");
    }

    /** Every registered method: defaults that pass its own checks, unique names, and one meaning per name across methods. */
    @Test
    void everyRegisteredMethodDeclaresConsistentOptions() {
        Map<String, MethodOption> byName = new java.util.HashMap<>();
        for (MethodId id : MethodId.values()) {
            MethodSettings defaults = id.defaults();
            id.method().validate(defaults);
            assertThat(defaults.withAll(defaults.asText())).isEqualTo(defaults);
            assertThat(id.method().describe(defaults)).isNotNull();
            for (MethodOption option : id.method().options()) {
                MethodOption earlier = byName.putIfAbsent(option.name(), option);
                assertThat(earlier == null || earlier.equals(option)).as(option.name()).isTrue();
            }
            for (CompressionMethod.Knob knob : id.method().workbenchKnobs()) {
                assertThat(id.method().options()).contains(knob.option());
            }
            assertThat(MethodId.parse(id.cliName().toUpperCase(java.util.Locale.ROOT))).isSameAs(id);
        }
        assertThatThrownBy(() -> MethodId.parse("magic")).hasMessageStartingWith("unknown method 'magic'; choose one of svd, fwsvd");
    }

    @Test
    void aRequestRefusesSettingsOfAnotherMethod() throws Exception {
        var selection = io.svdwb.engine.compress.Selection.all(io.svdwb.engine.model.ModelConfig.read(io.svdwb.engine.TestData.demoModel()));
        assertThatThrownBy(() -> new CompressionRequest(MethodId.SVD, 0.4, selection, MethodId.ASVD.defaults()))
                .hasMessageContaining("are not svd's options");
    }
}
