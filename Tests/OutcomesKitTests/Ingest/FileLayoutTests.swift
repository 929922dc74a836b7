import Testing
@testable import OutcomesKit

/// DATA-CONTRACT §1 header rules: kind, required columns, names, direct identifiers.
@Suite struct FileLayoutTests {
    func layout(_ header: String) throws -> FileLayout {
        let folder = TemporaryFolder()
        let path = folder.write("f.csv", header + "\n")
        var result: Result<FileLayout, IngestError>?
        try CSVRecordReader(path: InputPath(path)).forEachRecord { record in
            result = Result { () throws(IngestError) -> FileLayout in try FileLayout(header: record) }
        }
        return try result!.get()
    }

    func refusal(_ header: String) -> IngestError? {
        do {
            _ = try layout(header)
            return nil
        } catch let refusal as IngestError {
            return refusal
        } catch {
            Issue.record("unexpected \(error)")
            return nil
        }
    }

    @Test func kindComesFromTheDateColumn() throws {
        #expect(try layout("patient_id,session_date,modality").kind == .sessions)
        #expect(try layout("patient_id,assessment_date,instrument,score").kind == .scores)
    }

    @Test func headersMatchCaseInsensitivelyInAnyOrder() throws {
        let found = try layout("Site,MODALITY,Session_Date,Patient_ID,Session_ID,Notes")
        #expect(found.patientID == 3 && found.date == 2 && found.subject == 1)
        #expect(found.site == 0 && found.sessionID == 4)
        #expect(found.requiredColumns.sorted() == [1, 2, 3, 4], "session_id is required when the column exists")
    }

    @Test func bothOrNeitherDateColumnIsRefused() {
        #expect(refusal("patient_id,session_date,assessment_date,modality") == .bothDateColumns)
        #expect(refusal("patient_id,visit_date,modality") == .noDateColumn)
    }

    @Test func aMissingRequiredColumnIsRefused() {
        #expect(refusal("patient_id,assessment_date,instrument") == .missingColumns(kind: .scores, columns: ["score"]))
        #expect(refusal("patient_id,assessment_date,instrument")?.description == "a scores file needs column score")
    }

    @Test func aColumnNamedTwiceIsRefused() {
        #expect(refusal("patient_id,session_date,modality,Site,site") == .columnNamedTwice("site"))
    }

    @Test(arguments: ["patient_name", "Name", "First Name", "DOB", "date_of_birth", "SSN", "MRN", "Medical-Record-Number",
                      "phone", "E-mail", "email_address", "Street Address", "ZIP", "zip_code", "Postal Code"])
    func directIdentifierColumnsAreRefused(_ column: String) {
        #expect(refusal("patient_id,session_date,modality,\(column)") == .directIdentifier(column: column.lowercased()), "\(column)")
    }

    @Test func otherUnknownColumnsAreIgnored() throws {
        #expect(try layout("patient_id,session_date,modality,clinician,room,zipper").kind == .sessions)
    }

    @Test func aHeaderThatIsNotUTF8IsRefused() throws {
        let folder = TemporaryFolder()
        let path = folder.write("f.csv", bytes: Array("patient_id,session_date,modality,".utf8) + [0xFF, 0xFE, 0x0A])
        var refusal: IngestError?
        try CSVRecordReader(path: InputPath(path)).forEachRecord { record in
            do { _ = try FileLayout(header: record) } catch let error as IngestError { refusal = error }
        }
        #expect(refusal == .headerNotUTF8(column: 4))
    }

    @Test func anEmptyHeaderNameFromATrailingCommaIsIgnored() throws {
        // DATA-CONTRACT §12: a trailing comma makes an empty name, which is neither a column nor "named twice".
        let found = try layout("patient_id,session_date,modality,site,,")
        #expect(found.kind == .sessions)
        #expect(found.columnNames == ["patient_id", "session_date", "modality", "site", "", ""])
    }
}
