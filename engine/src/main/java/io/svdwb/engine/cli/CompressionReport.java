package io.svdwb.engine.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.svdwb.engine.compress.kernels.RealisedRatio;
import io.svdwb.engine.compress.method.CompressionResult;
import io.svdwb.engine.compress.method.ModuleOutcome;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;

/** Prints a {@link CompressionResult} as text or as a JSON object. */
final class CompressionReport {

    private CompressionReport() {
    }

    static void print(PrintWriter out, CompressionResult r, String calibration) {
        RealisedRatio s = r.selected();
        RealisedRatio all = r.allMatrices();
        out.printf(Locale.ROOT, "method            %s%n", r.request().method());
        out.printf(Locale.ROOT, "selection         %s (%d matrices)%n", r.request().selection().describe(), r.modules().size());
        out.printf(Locale.ROOT, "target ratio      %.4f of the selected parameters%n", r.request().ratio());
        io.svdwb.engine.compress.quant.FactorStorage storage = r.request().factorStorage();
        String unit = storage.quantized() ? "bits" : "parameters";
        if (storage.quantized()) {
            out.printf(Locale.ROOT, "factor storage    %s%n", storage.describe());
        }
        out.printf(Locale.ROOT, "achieved ratio    %.4f of the selected (%,d of %,d %s kept)%s%n", s.effectiveRatio(), s.keptParameters(),
                s.originalParameters(), unit, r.meetsTarget() ? "" : "  ** below target **");
        out.printf(Locale.ROOT, "                  %.4f of all compressible matrices, %.4f of the whole model (%,d %s)%n",
                all.effectiveRatio(), all.modelRatio(), all.modelParameters(), unit);
        if (calibration != null) {
            out.printf(Locale.ROOT, "calibration       %s%n", calibration);
        }
        for (Map.Entry<String, String> d : r.details().entrySet()) {
            out.printf(Locale.ROOT, "%-17s %s%n", d.getKey(), d.getValue());
        }
        for (String note : r.notes()) {
            out.printf(Locale.ROOT, "note              %s%n", note);
        }
        out.printf(Locale.ROOT, "time              %.2f s%n", r.seconds());
        out.println("ranks (layer: module rank[+dense columns], '-' = kept dense)");
        int layer = -1;
        StringBuilder line = new StringBuilder();
        for (ModuleOutcome m : r.modules()) {
            if (m.matrix().layer() != layer) {
                if (line.length() > 0) {
                    out.println(line);
                }
                layer = m.matrix().layer();
                line = new StringBuilder(String.format(Locale.ROOT, "  L%-3d", layer));
            }
            line.append(' ').append(m.matrix().kind().shortName()).append(' ').append(rankText(m));
        }
        if (line.length() > 0) {
            out.println(line);
        }
    }

    private static String rankText(ModuleOutcome m) {
        if (m.dense()) {
            return "-";
        }
        return m.keptColumns() > 0 ? m.rank() + "+" + m.keptColumns() : Integer.toString(m.rank());
    }

    static ObjectNode json(ObjectMapper mapper, CompressionResult r) {
        ObjectNode o = mapper.createObjectNode();
        o.put("method", r.request().method().cliName());
        ObjectNode settings = o.putObject("method_settings");
        r.request().settings().asText().forEach(settings::put);
        o.put("target_ratio", r.request().ratio());
        o.put("selection", r.request().selection().describe());
        o.put("achieved_ratio_selected", r.selected().effectiveRatio());
        o.put("achieved_ratio_compressible", r.allMatrices().effectiveRatio());
        o.put("achieved_ratio_model", r.allMatrices().modelRatio());
        io.svdwb.engine.compress.quant.FactorStorage storage = r.request().factorStorage();
        o.put("factor_dtype", storage.precision().cliName());
        if (storage.quantized()) {
            // docs/METHODS.md §2.6: the ratio is counted in bits against the dense baseline
            o.put("baseline_bits", storage.baselineBits());
            o.put("kept_bits_selected", r.selected().keptParameters());
            o.put("original_bits_selected", r.selected().originalParameters());
        } else {
            o.put("kept_parameters_selected", r.selected().keptParameters());
            o.put("original_parameters_selected", r.selected().originalParameters());
        }
        o.put("meets_target", r.meetsTarget());
        o.put("seconds", r.seconds());
        ObjectNode details = o.putObject("details");
        r.details().forEach(details::put);
        ArrayNode notes = o.putArray("notes");
        r.notes().forEach(notes::add);
        ArrayNode modules = o.putArray("modules");
        for (ModuleOutcome m : r.modules()) {
            ObjectNode n = modules.addObject();
            n.put("module", m.module());
            n.put("rows", m.matrix().rows());
            n.put("cols", m.matrix().cols());
            n.put("rank", m.rank());
            n.put("kept_columns", m.keptColumns());
            n.put("stored", m.stored());
            if (Double.isFinite(m.loss())) {
                n.put("loss", m.loss());
            }
        }
        return o;
    }
}
