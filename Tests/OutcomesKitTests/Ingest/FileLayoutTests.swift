import Testing
@testable import OutcomesKit

/// SPEC §1 header rules: kind, required columns, names, direct identifiers.
@Suite struct FileLayoutTests {
    func layout(_ header: String) throws -> FileLayout {
        let folder = TemporaryFolder()
        let path = folder.write("f.csv", header + "\n")
        var result: Result<FileLayout, FileRefusal>?
        try CSVRecordReader(path: path).forEachRecord { record in
            result = Result { () throws(FileRefusal) -> FileLayout in try FileLayout(header: record) }
        }
        return try result!.get()
    }

    func refusal(_ header: String) -> String? {
        do {
            _ = try layout(header)
            return nil
        } catch let refusal as FileRefusal {
            return refusal.description
        } catch {
            return "\(error)"
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
        #expect(refusal("patient_id,session_date,assessment_date,modality")?.contains("both") == true)
        #expect(refusal("patient_id,visit_date,modality")?.contains("neither") == true)
    }

    @Test func aMissingRequiredColumnIsRefused() {
        #expect(refusal("patient_id,assessment_date,instrument") == "a scores file needs column score")
    }

    @Test func aColumnNamedTwiceIsRefused() {
        #expect(refusal("patient_id,session_date,modality,Site,site")?.contains("named twice") == true)
    }

    @Test(arguments: ["patient_name", "Name", "First Name", "DOB", "date_of_birth", "SSN", "MRN", "Medical-Record-Number",
                      "phone", "E-mail", "email_address", "Street Address", "ZIP", "zip_code", "Postal Code"])
    func directIdentifierColumnsAreRefused(_ column: String) {
        #expect(refusal("patient_id,session_date,modality,\(column)")?.contains("direct identifier") == true, "\(column)")
    }

    @Test func otherUnknownColumnsAreIgnored() throws {
        #expect(try layout("patient_id,session_date,modality,clinician,room,zipper").kind == .sessions)
    }

    @Test func aHeaderThatIsNotUTF8IsRefused() throws {
        let folder = TemporaryFolder()
        let path = folder.write("f.csv", bytes: Array("patient_id,session_date,modality,".utf8) + [0xFF, 0xFE, 0x0A])
        var refusal: FileRefusal?
        try CSVRecordReader(path: path).forEachRecord { record in
            do { _ = try FileLayout(header: record) } catch let error as FileRefusal { refusal = error }
        }
        #expect(refusal?.description.contains("not UTF-8") == true)
    }
}
