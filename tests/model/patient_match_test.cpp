#include <gtest/gtest.h>

#include "model/patient_match.h"

using namespace consilium::model;

namespace {
Patient patient(std::string name, std::string id = "")
{
    Patient p;
    p.name = std::move(name);
    p.referringIdentifier = std::move(id);
    return p;
}
}  // namespace

TEST(PatientMatch, IdsDecideWhenBothArePresent)
{
    EXPECT_TRUE(matchPatient(patient("Aigerim Sadykova", "ALM-1"), "Someone^Else", "alm-1").matches);
    const auto m = matchPatient(patient("Aigerim Sadykova", "ALM-1"), "Sadykova^Aigerim", "STS_001");
    EXPECT_FALSE(m.matches);
    EXPECT_EQ(m.reason, "patient ID STS_001 in the files, ALM-1 in the case");
}

TEST(PatientMatch, NamesMatchIgnoringOrderCaseAndDicomSeparators)
{
    EXPECT_TRUE(matchPatient(patient("Aigerim Sadykova (Айгерим Садыкова)"), "SADYKOVA^AIGERIM", "").matches);
    EXPECT_TRUE(matchPatient(patient("王秀英"), "王秀英", "").matches);
    EXPECT_TRUE(matchPatient(patient("Wang Xiuying (王秀英)"), "Wang^Xiuying=王^秀英", "").matches);  // one group
    EXPECT_TRUE(matchPatient(patient("王 秀英"), "Wang^Xiuying=王^秀英", "").matches);
    EXPECT_FALSE(matchPatient(patient("Aigerim Sadykova"), "Sadykova^Dana", "").matches);
}

TEST(PatientMatch, FilesWithoutNameOrIdAreFlagged)
{
    const auto m = matchPatient(patient("Aigerim Sadykova", "ALM-1"), "", "");
    EXPECT_FALSE(m.matches);
    EXPECT_EQ(m.reason, "the files carry no patient name or ID");
}
