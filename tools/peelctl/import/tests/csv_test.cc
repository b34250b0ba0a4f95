// The CSV reader against hand-written files: quoting, line ends, line
// numbers, and fields split across the reader's 1 MiB chunks.
#include "tools/peelctl/import/csv.h"

#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace peel::peelctl {
namespace {

using Rows = std::vector<std::vector<std::string>>;

// Every row after the header, with the line each starts on.
Rows ReadAll(const std::string& text, std::vector<int64_t>* lines = nullptr) {
  std::istringstream in(text);
  auto reader = CsvReader::Open(&in);
  EXPECT_TRUE(reader.ok()) << reader.status();
  Rows rows;
  if (!reader.ok()) return rows;
  std::vector<std::string> fields;
  int64_t line;
  while (reader->Next(&fields, &line)) {
    rows.push_back(fields);
    if (lines != nullptr) lines->push_back(line);
  }
  EXPECT_EQ(reader->bytes_read(), static_cast<int64_t>(text.size()));
  return rows;
}

TEST(CsvReader, PlainRowsWithLfAndCrlf) {
  EXPECT_EQ(ReadAll("a,b,c\n1,2,3\n4,,6\n"),
            (Rows{{"1", "2", "3"}, {"4", "", "6"}}));
  EXPECT_EQ(ReadAll("a,b\r\nx,y\r\nz,w"), (Rows{{"x", "y"}, {"z", "w"}}));
}

TEST(CsvReader, QuotedFieldsWithCommasQuotesAndNewlines) {
  std::vector<int64_t> lines;
  const Rows rows = ReadAll(
      "id,text\n"
      "1,\"a, b\"\n"
      "2,\"say \"\"hi\"\"\"\n"
      "3,\"two\nlines\"\n"
      "4,\"\"\n"
      "5,x\"y\n",
      &lines);
  EXPECT_EQ(rows, (Rows{{"1", "a, b"},
                        {"2", "say \"hi\""},
                        {"3", "two\nlines"},
                        {"4", ""},
                        {"5", "x\"y"}}));
  // Row 3 spans lines 4 and 5, so row 4 starts on line 6.
  EXPECT_EQ(lines, (std::vector<int64_t>{2, 3, 4, 6, 7}));
}

TEST(CsvReader, BlankLinesAreSkippedButCounted) {
  std::vector<int64_t> lines;
  EXPECT_EQ(ReadAll("a,b\n\n1,2\n\n\n3,4\n", &lines),
            (Rows{{"1", "2"}, {"3", "4"}}));
  EXPECT_EQ(lines, (std::vector<int64_t>{3, 6}));
}

TEST(CsvReader, FieldsAcrossChunkBoundaries) {
  // Rows of 1,000 + 1 bytes put boundaries of the 1 MiB chunks inside
  // fields, inside quoted fields and between \r and \n.
  std::string text = "id,payload\r\n";
  Rows want;
  for (int i = 0; i < 3000; ++i) {
    std::string payload(990 + i % 7, static_cast<char>('a' + i % 26));
    if (i % 3 == 0) {
      payload[5] = ',';
      payload[6] = '"';
      text += std::to_string(i) + ",\"" + payload.substr(0, 6) + "\"\"" +
              payload.substr(7) + "\"\r\n";
    } else {
      text += std::to_string(i) + "," + payload + "\r\n";
    }
    want.push_back({std::to_string(i), payload});
  }
  ASSERT_GT(text.size(), size_t{2} << 20);
  EXPECT_EQ(ReadAll(text), want);
}

TEST(CsvReader, NotCsv) {
  std::istringstream empty("");
  EXPECT_FALSE(CsvReader::Open(&empty).ok());
  std::istringstream one_column("just words here\nmore\n");
  auto r = CsvReader::Open(&one_column);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("no commas"), std::string::npos);
  std::istringstream binary(std::string("\x01\x02,\x03\n", 5));
  EXPECT_FALSE(CsvReader::Open(&binary).ok());
}

}  // namespace
}  // namespace peel::peelctl
