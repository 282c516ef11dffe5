import FoundationEssentials
import Testing

@testable import TriageCore

struct LabelledTableTests {
    func csv(_ text: String) throws(TableError) -> (header: [String], rows: [[String]]) {
        try LabelledTable.parseCSV(Array(text.utf8))
    }

    func csvError(_ text: String) -> TableError? {
        do {
            _ = try csv(text)
            return nil
        } catch {
            return error
        }
    }

    @Test func readsQuotesEscapesAndEmptyFields() throws {
        let table = try csv("a,b,c\n\"x, y\",\"he said \"\"hi\"\"\",plain\n,,\n\"\",z,\"\"\"\"\n")
        #expect(table.header == ["a", "b", "c"])
        #expect(table.rows == [["x, y", "he said \"hi\"", "plain"], ["", "", ""], ["", "z", "\""]])
    }

    @Test func keepsLineBreaksInsideQuotesAndAcceptsCRLF() throws {
        let table = try csv("a,b\r\n\"line 1\r\nline 2\",1\r\n\"l1\nl2\",2\r\n3,4")
        #expect(table.rows == [["line 1\r\nline 2", "1"], ["l1\nl2", "2"], ["3", "4"]])
    }

    @Test func skipsBOMAndBlankLines() throws {
        let table = try csv("\u{FEFF}a,b\n\n1,2\r\n\r\n3,4\n\n")
        #expect(table.header == ["a", "b"])
        #expect(table.rows == [["1", "2"], ["3", "4"]])
    }

    @Test func quotesInsideUnquotedFieldsAreText() throws {
        #expect(try csv("a,b\n5\" disk,x\n").rows == [["5\" disk", "x"]])
    }

    @Test func errorsSayTheLine() {
        let unterminated = csvError("a,b\n1,2\n3,\"open\nmore\n")
        #expect(unterminated == TableError(line: 3, "unterminated quoted field"))
        #expect(unterminated?.description == "line 3: unterminated quoted field")
        // The record after a two-line quoted field starts on line 4.
        #expect(csvError("a,b\n\"x\ny\",1\n1,2,3\n") == TableError(line: 4, "3 fields but the header has 2"))
        #expect(csvError("a,b\n\"x\"y,2\n")?.line == 2)
        #expect(csvError("a,b\n\"x\"y,2\n")?.message.hasPrefix("unexpected character after a closing quote") == true)
        #expect(csvError("") == TableError(line: 1, "no header row"))
    }

    @Test func rejectsInvalidUTF8() {
        #expect(throws: TableError(line: 2, "not valid UTF-8")) { try LabelledTable.parseCSV([0x61, 0x0A, 0xFF, 0x0A]) }
    }

    @Test func readsJSONL() throws {
        let text = "{\"t\":\"disk full\",\"d\":\"sda1\",\"g\":\"ops\",\"n\":3}\n\n  {\"t\":\"vpn\",\"g\":\"net\",\"flag\":true,\"x\":null}\r\n"
        let table = try LabelledTable.parseJSONL(Array(text.utf8))
        #expect(table.header == ["d", "g", "n", "t", "flag", "x"])
        #expect(table.rows == [["sda1", "ops", "3", "disk full", "", ""], ["", "net", "", "vpn", "true", ""]])
        let examples = try LabelledTable.examples(
            from: Array(text.utf8), format: .jsonl, textColumns: ["t", "d"], labelColumn: "g")
        #expect(examples == [LabelledExample(text: "disk full sda1", label: "ops"), LabelledExample(text: "vpn", label: "net")])
    }

    @Test func jsonlErrorsSayTheLine() {
        #expect(throws: TableError(line: 3, "not a JSON object")) {
            try LabelledTable.parseJSONL(Array("{\"a\":1}\n\n[1]\n".utf8))
        }
        do {
            _ = try LabelledTable.parseJSONL(Array("{\"a\":1}\n{\"a\":".utf8))
            Issue.record("expected an error")
        } catch {
            #expect(error.line == 2)
            #expect(error.message.hasPrefix("not valid JSON"))
        }
    }

    @Test func detectsTheFormat() {
        #expect(TableFormat.detect(path: "x.JSONL", bytes: Array("a,b".utf8)) == .jsonl)
        #expect(TableFormat.detect(path: "x.ndjson", bytes: []) == .jsonl)
        #expect(TableFormat.detect(path: "x.txt", bytes: Array("\u{FEFF} \n {\"a\":1}".utf8)) == .jsonl)
        #expect(TableFormat.detect(path: "x.csv", bytes: Array("a,b\n".utf8)) == .csv)
    }

    @Test func examplesJoinTextColumnsAndDropUnlabelledRows() throws {
        let text = """
            short_description,description,caller,assignment_group
            disk full,,bob,GRP_1
            ,vpn down,amy,  GRP_2\t
            no label,whatever,joe,
            blank label,x,joe," "
            printer,"jammed
            again",sue,GRP_1

            """
        let examples = try LabelledTable.examples(
            from: Array(text.utf8), format: .csv, textColumns: ["short_description", "description"],
            labelColumn: "assignment_group")
        #expect(examples == [
            LabelledExample(text: "disk full", label: "GRP_1"),
            LabelledExample(text: "vpn down", label: "GRP_2"),
            LabelledExample(text: "printer jammed\nagain", label: "GRP_1"),
        ])
    }

    @Test func missingColumnListsTheHeader() {
        #expect(throws: TableError("column 'assignment_grp' not in header (columns: short_description, assignment_group)")) {
            try LabelledTable.examples(
                from: Array("short_description,assignment_group\nx,y\n".utf8), format: .csv,
                textColumns: ["short_description"], labelColumn: "assignment_grp")
        }
    }
}

struct EvaluationReportTests {
    // truth   A    A    A    B    B    C
    // top     A    A    B    B    A    A
    // conf    0.9  0.8  0.8  0.6  0.5  0.55
    let truth = ["A", "A", "A", "B", "B", "C"]
    let top = ["A", "A", "B", "B", "A", "A"]
    let confidence = [0.9, 0.8, 0.8, 0.6, 0.5, 0.55]
    // D has training rows but no test row; C has 39 training rows, one short of counting.
    let trainingCounts = ["A": 100, "B": 40, "C": 39, "D": 50]

    @Test func handComputedFigures() throws {
        let report = EvaluationReport.make(
            truth: truth, top: top, confidence: confidence, trainingCounts: trainingCounts, threshold: 0.7)
        #expect(report.accuracy == 0.5)  // rows 0, 1, 3
        // A: 2 of 4 predictions right, 2 of 3 found: P 1/2, R 2/3, F1 4/7. B: 1/2, 1/2, 1/2. C: 0. D: 0.
        let a = try #require(report.perLabel["A"])
        #expect(a.precision == 0.5 && abs(a.recall - 2.0 / 3) < 1e-12 && abs(a.f1 - 4.0 / 7) < 1e-12 && a.support == 3)
        #expect(report.perLabel["B"] == .init(precision: 0.5, recall: 0.5, f1: 0.5, support: 2))
        #expect(report.perLabel["C"] == .init(precision: 0, recall: 0, f1: 0, support: 1))
        #expect(report.perLabel["D"] == .init(precision: 0, recall: 0, f1: 0, support: 0))
        // Macro-F1 over A, B, D (≥ 40 training rows), not C: (4/7 + 1/2 + 0) / 3 = 5/14.
        #expect(report.macroLabels == ["A", "B", "D"])
        #expect(abs(report.macroF1 - 5.0 / 14) < 1e-12)
        // Confidence ≥ 0.7: rows 0, 1, 2, of which 0 and 1 are right.
        #expect(report.coverage == 0.5)
        #expect(abs(report.precisionAtThreshold - 2.0 / 3) < 1e-12)
        // Cut-offs: 0.9 keeps row 0 (1/1); 0.8 keeps rows 0-2 together (2/3): only the first reaches 0.90.
        #expect(abs(report.coverageAtPrecision90 - 1.0 / 6) < 1e-12)
    }

    @Test func precisionOfExactlyNinetyPercentCounts() {
        let truth = Array(repeating: "x", count: 10)
        let top = Array(repeating: "x", count: 9) + ["y"]
        let report = EvaluationReport.make(
            truth: truth, top: top, confidence: Array(repeating: 0.3, count: 10), trainingCounts: [:], threshold: 0.6)
        #expect(report.coverageAtPrecision90 == 1)
        #expect(report.coverage == 0 && report.precisionAtThreshold == 0)
        #expect(report.macroF1 == 0)
    }

    @Test func emptyTestSetIsAllZero() {
        let report = EvaluationReport.make(truth: [], top: [], confidence: [], trainingCounts: ["A": 50], threshold: 0.6)
        #expect(report.accuracy == 0 && report.coverage == 0 && report.coverageAtPrecision90 == 0 && report.macroF1 == 0)
    }

    @Test func foldsPoolAndTakeTheSmallestTrainingCount() {
        let folds = [
            EvaluationReport.FoldPredictions(truth: ["A"], top: ["A"], confidence: [0.9], trainingCounts: ["A": 45, "B": 40, "E": 60]),
            EvaluationReport.FoldPredictions(truth: ["B"], top: ["A"], confidence: [0.4], trainingCounts: ["A": 39, "B": 41]),
        ]
        let report = EvaluationReport.make(folds: folds, threshold: 0.6)
        #expect(report.macroLabels == ["B"])  // A has 39 in fold 2, E none
        #expect(report.accuracy == 0.5 && report.coverage == 0.5 && report.precisionAtThreshold == 1)
    }

    @Test func encodesExactlyTheCLIKeys() throws {
        let report = EvaluationReport.make(
            truth: truth, top: top, confidence: confidence, trainingCounts: trainingCounts, threshold: 0.7)
        let value = try JSONValue.parse(Array(try JSONEncoder().encode(report)))
        guard case .object(let members) = value, case .object(let perLabel)? = members["per_label"],
            case .object(let a)? = perLabel["A"]
        else {
            Issue.record("not an object")
            return
        }
        #expect(Set(members.keys) == ["accuracy", "macro_f1", "coverage", "precision_at_threshold", "coverage_at_precision_90", "per_label"])
        #expect(Set(a.keys) == ["precision", "recall", "f1", "support"])
        #expect(members["coverage"] == .number(0.5))
        let back = try JSONDecoder().decode(EvaluationReport.self, from: try JSONEncoder().encode(report))
        #expect(back.perLabel == report.perLabel && back.macroF1 == report.macroF1)
    }

    @Test func rendersText() {
        let report = EvaluationReport.make(
            truth: truth, top: top, confidence: confidence, trainingCounts: trainingCounts, threshold: 0.7)
        let text = report.text
        #expect(text.contains("accuracy"))
        #expect(text.contains("0.3571"))  // macro-F1
        #expect(text.contains("coverage at confidence ≥ 0.70"))
        #expect(text.contains("A *"))
        #expect(EvaluationReport.fixed(0.99996, digits: 4) == "1.0000")
        #expect(EvaluationReport.fixed(1, digits: 2) == "1.00")
        #expect(EvaluationReport.fixed(0.05, digits: 3) == "0.050")
    }

    @Test func foldAssignmentIsRowModK() {
        #expect(EvaluationReport.folds(count: 7, k: 3) == [[0, 3, 6], [1, 4], [2, 5]])
        #expect(EvaluationReport.folds(count: 2, k: 3) == [[0], [1], []])
        let rows = (0..<7).map { LabelledExample(text: "t\($0)", label: "L\($0 % 2)") }
        let split = EvaluationReport.split(rows, fold: 1, k: 3)
        #expect(split.test.map(\.text) == ["t1", "t4"])
        #expect(split.training.map(\.text) == ["t0", "t2", "t3", "t5", "t6"])
    }

    @Test func crossValidationTrainsOnTheOtherFolds() {
        // The "model" is the majority label of its training rows, always fully confident.
        let rows = ["A", "A", "B", "A", "B", "A"].enumerated().map { LabelledExample(text: "r\($0.offset)", label: $0.element) }
        var trained: [(Int, [String])] = []
        let report = EvaluationReport.crossValidate(
            rows, k: 2, threshold: 0.6,
            train: { (fold: Int, training: [LabelledExample]) -> String in
                trained.append((fold, training.map(\.text)))
                let counts = EvaluationReport.labelCounts(training.map(\.label))
                return counts.max { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }!.key
            },
            predict: { (model: String, _: String) in (model, 1.0) })
        #expect(trained.map(\.0) == [0, 1])
        #expect(trained.map(\.1) == [["r1", "r3", "r5"], ["r0", "r2", "r4"]])
        // Fold 0 trains on rows 1, 3, 5 (A, A, A) and says A for rows 0, 2, 4 (A, B, B): one right.
        // Fold 1 trains on rows 0, 2, 4 (A, B, B) and says B for rows 1, 3, 5 (A, A, A): none right.
        #expect(report.accuracy == 1.0 / 6)
        #expect(report.coverage == 1)
    }
}
